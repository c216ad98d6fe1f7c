// Demo photos drawn locally: an SVG pictogram per top-level category on a coloured background,
// rendered to JPEG by sharp. No fonts (no text) and no network needed.
import sharp from 'sharp';

export const PICTURE_WIDTH = 800;
export const PICTURE_HEIGHT = 600;

type Draw = (ink: string, accent: string) => string;

// Each drawing sits in a 400×300 box centred at (400, 300); the caller scales and moves it.
const drawings: Record<string, Draw> = {
  캠핑: (ink, accent) => `
    <polygon points="200,20 40,260 360,260" fill="${ink}"/>
    <polygon points="200,90 150,260 250,260" fill="${accent}"/>
    <line x1="200" y1="0" x2="200" y2="30" stroke="${ink}" stroke-width="8"/>
    <rect x="0" y="258" width="400" height="14" rx="7" fill="${ink}" opacity="0.6"/>`,
  공구: (ink, accent) => `
    <rect x="60" y="60" width="220" height="90" rx="30" fill="${ink}"/>
    <rect x="280" y="92" width="110" height="24" rx="6" fill="${accent}"/>
    <rect x="120" y="140" width="70" height="130" rx="18" fill="${ink}"/>
    <rect x="100" y="250" width="110" height="40" rx="12" fill="${accent}"/>`,
  촬영장비: (ink, accent) => `
    <rect x="20" y="70" width="360" height="210" rx="34" fill="${ink}"/>
    <rect x="60" y="40" width="110" height="50" rx="14" fill="${ink}"/>
    <circle cx="220" cy="175" r="86" fill="${accent}"/>
    <circle cx="220" cy="175" r="52" fill="${ink}"/>
    <circle cx="200" cy="155" r="14" fill="#ffffff" opacity="0.7"/>`,
  유아용품: (ink, accent) => `
    <path d="M80,150 A130,130 0 0 1 260,40 L260,150 Z" fill="${accent}"/>
    <rect x="80" y="150" width="240" height="60" rx="26" fill="${ink}"/>
    <line x1="320" y1="160" x2="370" y2="40" stroke="${ink}" stroke-width="14" stroke-linecap="round"/>
    <circle cx="120" cy="255" r="34" fill="${ink}"/><circle cx="280" cy="255" r="34" fill="${ink}"/>
    <circle cx="120" cy="255" r="12" fill="${accent}"/><circle cx="280" cy="255" r="12" fill="${accent}"/>`,
  '스포츠/레저': (ink, accent) => `
    <circle cx="90" cy="200" r="75" fill="none" stroke="${ink}" stroke-width="16"/>
    <circle cx="310" cy="200" r="75" fill="none" stroke="${ink}" stroke-width="16"/>
    <polyline points="90,200 170,90 290,90 310,200 200,200 170,90" fill="none" stroke="${accent}" stroke-width="16" stroke-linejoin="round"/>
    <line x1="150" y1="70" x2="200" y2="70" stroke="${ink}" stroke-width="16" stroke-linecap="round"/>`,
  '가전/디지털': (ink, accent) => `
    <rect x="30" y="20" width="340" height="210" rx="20" fill="${ink}"/>
    <rect x="50" y="40" width="300" height="170" rx="8" fill="${accent}"/>
    <rect x="180" y="230" width="40" height="40" fill="${ink}"/>
    <rect x="120" y="266" width="160" height="18" rx="9" fill="${ink}"/>`,
  '파티/행사': (ink, accent) => `
    <line x1="130" y1="150" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <line x1="270" y1="140" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <line x1="200" y1="110" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <ellipse cx="130" cy="100" rx="62" ry="76" fill="${accent}"/>
    <ellipse cx="270" cy="90" rx="62" ry="76" fill="${ink}"/>
    <ellipse cx="200" cy="60" rx="58" ry="70" fill="#ffffff" opacity="0.85"/>`,
  여행: (ink, accent) => `
    <rect x="150" y="10" width="100" height="50" rx="20" fill="none" stroke="${ink}" stroke-width="16"/>
    <rect x="90" y="50" width="220" height="230" rx="30" fill="${ink}"/>
    <rect x="140" y="50" width="26" height="230" fill="${accent}"/>
    <rect x="234" y="50" width="26" height="230" fill="${accent}"/>
    <circle cx="130" cy="290" r="12" fill="${ink}"/><circle cx="270" cy="290" r="12" fill="${ink}"/>`,
  악기: (ink, accent) => `
    <rect x="190" y="0" width="26" height="170" rx="8" fill="${ink}"/>
    <circle cx="203" cy="200" r="70" fill="${accent}"/>
    <circle cx="203" cy="135" r="52" fill="${accent}"/>
    <circle cx="203" cy="180" r="20" fill="${ink}"/>
    <rect x="175" y="235" width="56" height="12" rx="4" fill="${ink}"/>`,
  생활용품: (ink, accent) => `
    <rect x="50" y="80" width="300" height="110" rx="30" fill="${accent}"/>
    <rect x="20" y="140" width="360" height="100" rx="30" fill="${ink}"/>
    <rect x="40" y="240" width="20" height="40" fill="${ink}"/><rect x="340" y="240" width="20" height="40" fill="${ink}"/>
    <rect x="80" y="120" width="110" height="50" rx="16" fill="#ffffff" opacity="0.5"/>
    <rect x="210" y="120" width="110" height="50" rx="16" fill="#ffffff" opacity="0.5"/>`,
};

const baseHue: Record<string, number> = {
  캠핑: 110, 공구: 30, 촬영장비: 220, 유아용품: 330, '스포츠/레저': 190,
  '가전/디지털': 260, '파티/행사': 350, 여행: 45, 악기: 15, 생활용품: 160,
};

/** A deterministic "photo" of an item: rand drives colours, background dots and framing. */
export function pictureSvg(topCategory: string, rand: () => number, variant: number): string {
  const draw = drawings[topCategory] ?? drawings['생활용품'];
  const hue = ((baseHue[topCategory] ?? 0) + Math.floor(rand() * 50) - 25 + variant * 40 + 360) % 360;
  const bg1 = `hsl(${hue},45%,${86 - variant * 6}%)`;
  const bg2 = `hsl(${(hue + 40) % 360},50%,${70 - variant * 6}%)`;
  const ink = `hsl(${(hue + 190) % 360},45%,${26 + Math.floor(rand() * 14)}%)`;
  const accent = `hsl(${(hue + 150) % 360},65%,${52 + Math.floor(rand() * 12)}%)`;
  const dots = Array.from({ length: 14 }, () => {
    const x = Math.floor(rand() * PICTURE_WIDTH);
    const y = Math.floor(rand() * PICTURE_HEIGHT);
    const r = 6 + Math.floor(rand() * 34);
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#ffffff" opacity="${(0.12 + rand() * 0.2).toFixed(2)}"/>`;
  }).join('');
  const scale = (variant === 0 ? 1.15 : 1.5) + rand() * 0.2;
  const dx = 400 - 200 * scale + (rand() - 0.5) * 80;
  const dy = 320 - 150 * scale + (rand() - 0.5) * 40;
  const rotate = variant === 0 ? 0 : Math.round((rand() - 0.5) * 24);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE_WIDTH}" height="${PICTURE_HEIGHT}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${bg1}"/><stop offset="1" stop-color="${bg2}"/></linearGradient></defs>
  <rect width="${PICTURE_WIDTH}" height="${PICTURE_HEIGHT}" fill="url(#bg)"/>${dots}
  <ellipse cx="400" cy="${PICTURE_HEIGHT - 70}" rx="300" ry="36" fill="#000000" opacity="0.12"/>
  <g transform="translate(${dx.toFixed(1)} ${dy.toFixed(1)}) scale(${scale.toFixed(3)}) rotate(${rotate} 200 150)">${draw(ink, accent)}</g>
</svg>`;
}

export async function renderPicture(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: false }).toBuffer();
}
