import sharp from 'sharp';
const [file, out] = process.argv.slice(2);
const img = sharp(file); const { width, height } = await img.metadata();
const tileH = 1688; let i = 0;
for (let y = 0; y < height; y += tileH) {
  const h = Math.min(tileH, height - y);
  await sharp(file).extract({ left: 0, top: y, width, height: h }).resize(Math.round(width / 2)).toFile(`${out}-${i++}.png`);
}
console.log(file, width, height, i);
