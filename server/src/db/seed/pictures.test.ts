// Demo pictures: one drawing per kind of item (picked from the title), so listings of one category no
// longer share a picture, and every drawing renders to a real JPEG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { mulberry32 } from '../../lib/random.ts';
import { demoListings } from './listings.ts';
import { pictureKind, pictureSvg, renderPicture, PICTURE_HEIGHT, PICTURE_WIDTH } from './pictures.ts';

test('items of one category get drawings of their own kind', () => {
  // the three 기타 생활용품 listings once all showed the same sofa
  assert.equal(pictureKind('재봉틀 (브라더 가정용)', '생활용품'), 'sewing');
  assert.equal(pictureKind('공기청정기 (미세먼지 심할 때)', '생활용품'), 'purifier');
  assert.equal(pictureKind('제습기 16L (장마철)', '생활용품'), 'dehumidifier');
  // a title no rule knows falls back to its top-level category's drawing
  assert.equal(pictureKind('무언가 특별한 물건', '캠핑'), 'tent');
  const kinds = new Set(demoListings.map((l) => pictureKind(l.t, '')));
  assert.ok(kinds.size >= 45, `only ${kinds.size} distinct drawings over ${demoListings.length} demo listings`);
});

test('every drawing renders a full-size JPEG, and two kinds differ in pixels', async () => {
  const kinds = [...new Set(demoListings.map((l) => pictureKind(l.t, '')))];
  const rendered = await Promise.all(kinds.map(async (k) => renderPicture(pictureSvg(k, '생활용품', mulberry32(7), 0))));
  for (const jpeg of rendered) {
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', PICTURE_WIDTH, PICTURE_HEIGHT]);
  }
  // same colours and framing (same seed), different drawing: the pictures must not be the same image
  const raw = await Promise.all(rendered.slice(0, 2).map((j) => sharp(j).resize(80, 60).raw().toBuffer()));
  const diff = raw[0].reduce((sum, v, i) => sum + Math.abs(v - raw[1][i]), 0) / raw[0].length;
  assert.ok(diff > 3, `mean pixel difference ${diff.toFixed(2)}`);
});
