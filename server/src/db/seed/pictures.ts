// Demo photos drawn locally: an SVG pictogram per kind of item (tent, sewing machine, drone …) on a
// background coloured by top-level category,
// rendered to JPEG by sharp. No fonts (no text) and no network needed.
import sharp from 'sharp';

export const PICTURE_WIDTH = 800;
export const PICTURE_HEIGHT = 600;

type Draw = (ink: string, accent: string) => string;

// Each drawing sits in a 400×300 box centred at (400, 300); the caller scales and moves it.
// One drawing per kind of item, so a sewing machine, an air purifier and a dehumidifier of the same
// category each look like what they are (pictureKind picks the drawing from the title).
const W = '#ffffff';
const drawings = {
  tent: (ink, accent) => `
    <polygon points="200,20 40,260 360,260" fill="${ink}"/>
    <polygon points="200,90 150,260 250,260" fill="${accent}"/>
    <line x1="200" y1="0" x2="200" y2="30" stroke="${ink}" stroke-width="8"/>
    <rect x="0" y="258" width="400" height="14" rx="7" fill="${ink}" opacity="0.6"/>`,
  tarp: (ink, accent) => `
    <path d="M20,90 Q200,150 380,70 L330,170 Q200,200 70,170 Z" fill="${accent}"/>
    <line x1="70" y1="100" x2="70" y2="290" stroke="${ink}" stroke-width="12"/>
    <line x1="330" y1="80" x2="330" y2="290" stroke="${ink}" stroke-width="12"/>
    <line x1="70" y1="100" x2="0" y2="290" stroke="${ink}" stroke-width="4"/><line x1="330" y1="80" x2="400" y2="290" stroke="${ink}" stroke-width="4"/>`,
  chair: (ink, accent) => `
    <path d="M110,40 L290,40 L270,170 L130,170 Z" fill="${accent}"/>
    <rect x="100" y="160" width="200" height="40" rx="14" fill="${accent}"/>
    <line x1="110" y1="200" x2="290" y2="290" stroke="${ink}" stroke-width="14"/><line x1="290" y1="200" x2="110" y2="290" stroke="${ink}" stroke-width="14"/>
    <rect x="80" y="140" width="50" height="14" rx="7" fill="${ink}"/><rect x="270" y="140" width="50" height="14" rx="7" fill="${ink}"/>`,
  table: (ink, accent) => `
    <rect x="20" y="90" width="360" height="36" rx="10" fill="${accent}"/>
    <line x1="70" y1="126" x2="40" y2="290" stroke="${ink}" stroke-width="16"/><line x1="330" y1="126" x2="360" y2="290" stroke="${ink}" stroke-width="16"/>
    <line x1="120" y1="126" x2="150" y2="290" stroke="${ink}" stroke-width="10"/><line x1="280" y1="126" x2="250" y2="290" stroke="${ink}" stroke-width="10"/>`,
  bedding: (ink, accent) => `
    <rect x="20" y="150" width="300" height="110" rx="40" fill="${accent}"/>
    <circle cx="320" cy="190" r="80" fill="${ink}"/><circle cx="320" cy="190" r="52" fill="${accent}"/><circle cx="320" cy="190" r="24" fill="${ink}"/>
    <line x1="60" y1="180" x2="260" y2="180" stroke="${W}" stroke-width="6" opacity="0.5"/>`,
  stove: (ink, accent) => `
    <rect x="40" y="210" width="320" height="70" rx="14" fill="${ink}"/>
    <path d="M150,205 Q170,150 200,190 Q230,140 250,205 Z" fill="${accent}"/>
    <rect x="100" y="60" width="200" height="110" rx="16" fill="${ink}"/>
    <rect x="60" y="70" width="40" height="16" rx="8" fill="${ink}"/><rect x="300" y="70" width="40" height="16" rx="8" fill="${ink}"/>`,
  lantern: (ink, accent) => `
    <path d="M160,20 Q200,-10 240,20" fill="none" stroke="${ink}" stroke-width="10"/>
    <rect x="140" y="20" width="120" height="40" rx="12" fill="${ink}"/>
    <rect x="150" y="60" width="100" height="170" rx="20" fill="${accent}"/>
    <ellipse cx="200" cy="145" rx="26" ry="50" fill="${W}" opacity="0.7"/>
    <rect x="130" y="230" width="140" height="50" rx="14" fill="${ink}"/>`,
  cooler: (ink, accent) => `
    <path d="M120,80 Q200,10 280,80" fill="none" stroke="${ink}" stroke-width="14"/>
    <rect x="40" y="80" width="320" height="60" rx="16" fill="${accent}"/>
    <rect x="50" y="140" width="300" height="140" rx="16" fill="${ink}"/>
    <rect x="170" y="160" width="60" height="22" rx="8" fill="${accent}"/>`,
  drill: (ink, accent) => `
    <rect x="60" y="60" width="220" height="90" rx="30" fill="${ink}"/>
    <rect x="280" y="92" width="110" height="24" rx="6" fill="${accent}"/>
    <rect x="120" y="140" width="70" height="130" rx="18" fill="${ink}"/>
    <rect x="100" y="250" width="110" height="40" rx="12" fill="${accent}"/>`,
  saw: (ink, accent) => `
    <circle cx="220" cy="170" r="110" fill="${accent}"/>
    <circle cx="220" cy="170" r="110" fill="none" stroke="${ink}" stroke-width="10" stroke-dasharray="14 10"/>
    <circle cx="220" cy="170" r="26" fill="${ink}"/>
    <rect x="20" y="40" width="170" height="60" rx="24" fill="${ink}"/>`,
  handtools: (ink, accent) => `
    <rect x="60" y="30" width="40" height="250" rx="12" fill="${ink}" transform="rotate(-30 80 155)"/>
    <circle cx="30" cy="60" r="42" fill="${ink}"/><circle cx="30" cy="60" r="18" fill="${accent}"/>
    <rect x="270" y="20" width="46" height="130" rx="16" fill="${accent}" transform="rotate(25 293 150)"/>
    <rect x="286" y="140" width="14" height="150" fill="${ink}" transform="rotate(25 293 150)"/>`,
  ladder: (ink, accent) => `
    <line x1="130" y1="10" x2="60" y2="290" stroke="${ink}" stroke-width="18" stroke-linecap="round"/>
    <line x1="270" y1="10" x2="340" y2="290" stroke="${ink}" stroke-width="18" stroke-linecap="round"/>
    ${[60, 120, 180, 240].map((y) => `<line x1="${130 - y / 4}" y1="${y}" x2="${270 + y / 4}" y2="${y}" stroke="${accent}" stroke-width="14"/>`).join('')}`,
  measure: (ink, accent) => `
    <rect x="30" y="110" width="140" height="110" rx="18" fill="${ink}"/>
    <rect x="55" y="135" width="90" height="40" rx="6" fill="${accent}"/>
    <line x1="170" y1="160" x2="390" y2="120" stroke="#e03131" stroke-width="6"/>
    <circle cx="390" cy="120" r="10" fill="#e03131"/>`,
  mower: (ink, accent) => `
    <rect x="60" y="170" width="240" height="80" rx="30" fill="${accent}"/>
    <line x1="260" y1="180" x2="370" y2="20" stroke="${ink}" stroke-width="14" stroke-linecap="round"/>
    <line x1="340" y1="20" x2="390" y2="40" stroke="${ink}" stroke-width="14" stroke-linecap="round"/>
    <circle cx="100" cy="260" r="32" fill="${ink}"/><circle cx="260" cy="260" r="32" fill="${ink}"/>`,
  camera: (ink, accent) => `
    <rect x="20" y="70" width="360" height="210" rx="34" fill="${ink}"/>
    <rect x="60" y="40" width="110" height="50" rx="14" fill="${ink}"/>
    <circle cx="220" cy="175" r="86" fill="${accent}"/>
    <circle cx="220" cy="175" r="52" fill="${ink}"/>
    <circle cx="200" cy="155" r="14" fill="${W}" opacity="0.7"/>`,
  lens: (ink, accent) => `
    <rect x="60" y="80" width="260" height="150" rx="20" fill="${ink}"/>
    <rect x="110" y="80" width="30" height="150" fill="${accent}"/><rect x="200" y="80" width="16" height="150" fill="${accent}"/>
    <ellipse cx="320" cy="155" rx="36" ry="75" fill="${accent}"/><ellipse cx="320" cy="155" rx="20" ry="46" fill="${ink}"/>`,
  tripod: (ink, accent) => `
    <rect x="130" y="10" width="140" height="70" rx="16" fill="${accent}"/>
    <rect x="188" y="80" width="24" height="80" fill="${ink}"/>
    <line x1="200" y1="150" x2="80" y2="295" stroke="${ink}" stroke-width="12"/><line x1="200" y1="150" x2="320" y2="295" stroke="${ink}" stroke-width="12"/>
    <line x1="200" y1="150" x2="200" y2="295" stroke="${ink}" stroke-width="12"/>`,
  drone: (ink, accent) => `
    <rect x="150" y="120" width="100" height="60" rx="20" fill="${ink}"/>
    <line x1="80" y1="80" x2="320" y2="220" stroke="${ink}" stroke-width="14"/><line x1="320" y1="80" x2="80" y2="220" stroke="${ink}" stroke-width="14"/>
    ${[[80, 80], [320, 80], [80, 220], [320, 220]].map(([x, y]) => `<ellipse cx="${x}" cy="${y}" rx="70" ry="14" fill="${accent}"/>`).join('')}`,
  light: (ink, accent) => `
    <circle cx="200" cy="110" r="100" fill="none" stroke="${accent}" stroke-width="36"/>
    <circle cx="200" cy="110" r="100" fill="none" stroke="${W}" stroke-width="8" opacity="0.6"/>
    <rect x="190" y="210" width="20" height="80" fill="${ink}"/>
    <line x1="200" y1="280" x2="120" y2="300" stroke="${ink}" stroke-width="10"/><line x1="200" y1="280" x2="280" y2="300" stroke="${ink}" stroke-width="10"/>`,
  actioncam: (ink, accent) => `
    <rect x="90" y="60" width="220" height="170" rx="28" fill="${ink}"/>
    <circle cx="250" cy="145" r="50" fill="${accent}"/><circle cx="250" cy="145" r="26" fill="${ink}"/>
    <rect x="120" y="85" width="60" height="30" rx="6" fill="${accent}"/>
    <rect x="170" y="230" width="60" height="60" rx="8" fill="${ink}"/>`,
  stroller: (ink, accent) => `
    <path d="M80,150 A130,130 0 0 1 260,40 L260,150 Z" fill="${accent}"/>
    <rect x="80" y="150" width="240" height="60" rx="26" fill="${ink}"/>
    <line x1="320" y1="160" x2="370" y2="40" stroke="${ink}" stroke-width="14" stroke-linecap="round"/>
    <circle cx="120" cy="255" r="34" fill="${ink}"/><circle cx="280" cy="255" r="34" fill="${ink}"/>
    <circle cx="120" cy="255" r="12" fill="${accent}"/><circle cx="280" cy="255" r="12" fill="${accent}"/>`,
  carseat: (ink, accent) => `
    <path d="M120,20 Q200,0 260,30 L270,190 L120,190 Z" fill="${accent}"/>
    <path d="M90,180 L330,180 Q340,270 300,280 L110,280 Q80,270 90,180 Z" fill="${ink}"/>
    <line x1="160" y1="60" x2="200" y2="180" stroke="${ink}" stroke-width="10"/><line x1="230" y1="60" x2="200" y2="180" stroke="${ink}" stroke-width="10"/>`,
  crib: (ink, accent) => `
    <rect x="30" y="90" width="340" height="150" rx="10" fill="none" stroke="${ink}" stroke-width="14"/>
    ${[80, 130, 180, 230, 280, 330].map((x) => `<line x1="${x}" y1="90" x2="${x}" y2="240" stroke="${ink}" stroke-width="8"/>`).join('')}
    <rect x="44" y="190" width="312" height="40" fill="${accent}"/>
    <line x1="40" y1="240" x2="40" y2="290" stroke="${ink}" stroke-width="14"/><line x1="360" y1="240" x2="360" y2="290" stroke="${ink}" stroke-width="14"/>`,
  toy: (ink, accent) => `
    <rect x="40" y="170" width="140" height="110" rx="10" fill="${accent}"/>
    <rect x="200" y="170" width="160" height="110" rx="10" fill="${ink}"/>
    <rect x="110" y="60" width="180" height="110" rx="10" fill="${ink}" opacity="0.8"/>
    ${[70, 130, 230, 300, 150, 230].map((x, i) => `<circle cx="${x}" cy="${i < 4 ? 170 : 60}" r="14" fill="${W}" opacity="0.7"/>`).join('')}`,
  bicycle: (ink, accent) => `
    <circle cx="90" cy="200" r="75" fill="none" stroke="${ink}" stroke-width="16"/>
    <circle cx="310" cy="200" r="75" fill="none" stroke="${ink}" stroke-width="16"/>
    <polyline points="90,200 170,90 290,90 310,200 200,200 170,90" fill="none" stroke="${accent}" stroke-width="16" stroke-linejoin="round"/>
    <line x1="150" y1="70" x2="200" y2="70" stroke="${ink}" stroke-width="16" stroke-linecap="round"/>`,
  golf: (ink, accent) => `
    <line x1="120" y1="10" x2="230" y2="250" stroke="${ink}" stroke-width="12"/>
    <path d="M220,240 L300,250 Q310,280 280,285 L215,270 Z" fill="${ink}"/>
    <circle cx="330" cy="270" r="24" fill="${W}"/><line x1="330" y1="294" x2="330" y2="300" stroke="${accent}" stroke-width="6"/>
    <rect x="40" y="260" width="120" height="30" rx="15" fill="${accent}"/>`,
  ball: (ink, accent) => `
    <line x1="20" y1="60" x2="380" y2="60" stroke="${ink}" stroke-width="8"/>
    ${[60, 120, 180, 240, 300, 360].map((x) => `<line x1="${x}" y1="60" x2="${x}" y2="150" stroke="${ink}" stroke-width="4"/>`).join('')}
    <line x1="20" y1="150" x2="380" y2="150" stroke="${ink}" stroke-width="4"/>
    <circle cx="200" cy="230" r="65" fill="${accent}"/><path d="M140,210 Q200,250 260,210" fill="none" stroke="${ink}" stroke-width="8"/>`,
  ski: (ink, accent) => `
    <rect x="40" y="120" width="340" height="40" rx="20" fill="${accent}" transform="rotate(-20 200 140)"/>
    <rect x="20" y="190" width="340" height="40" rx="20" fill="${ink}" transform="rotate(-20 200 210)"/>
    <rect x="150" y="100" width="50" height="40" rx="8" fill="${ink}" transform="rotate(-20 200 140)"/>`,
  boat: (ink, accent) => `
    <path d="M20,170 Q200,290 380,170 Q200,210 20,170 Z" fill="${accent}"/>
    <ellipse cx="200" cy="175" rx="70" ry="16" fill="${ink}"/>
    <line x1="80" y1="40" x2="320" y2="280" stroke="${ink}" stroke-width="10"/>
    <ellipse cx="80" cy="40" rx="18" ry="40" fill="${ink}" transform="rotate(-45 80 40)"/><ellipse cx="320" cy="280" rx="18" ry="40" fill="${ink}" transform="rotate(-45 320 280)"/>`,
  backpack: (ink, accent) => `
    <path d="M150,40 Q200,0 250,40" fill="none" stroke="${ink}" stroke-width="14"/>
    <rect x="110" y="40" width="180" height="250" rx="50" fill="${ink}"/>
    <rect x="140" y="170" width="120" height="90" rx="20" fill="${accent}"/>
    <rect x="110" y="110" width="180" height="18" fill="${accent}"/>`,
  laptop: (ink, accent) => `
    <rect x="70" y="30" width="260" height="180" rx="14" fill="${ink}"/>
    <rect x="88" y="48" width="224" height="144" rx="6" fill="${accent}"/>
    <path d="M20,220 L380,220 L350,270 L50,270 Z" fill="${ink}"/>`,
  gamepad: (ink, accent) => `
    <path d="M70,90 Q200,60 330,90 Q400,110 370,240 Q350,290 300,240 L260,200 L140,200 L100,240 Q50,290 30,240 Q0,110 70,90 Z" fill="${ink}"/>
    <rect x="95" y="125" width="70" height="22" rx="6" fill="${accent}"/><rect x="119" y="101" width="22" height="70" rx="6" fill="${accent}"/>
    <circle cx="280" cy="115" r="14" fill="${accent}"/><circle cx="310" cy="145" r="14" fill="${accent}"/><circle cx="250" cy="145" r="14" fill="${accent}"/>`,
  projector: (ink, accent) => `
    <polygon points="120,150 400,20 400,300" fill="${W}" opacity="0.35"/>
    <rect x="10" y="110" width="230" height="120" rx="22" fill="${ink}"/>
    <circle cx="180" cy="170" r="42" fill="${accent}"/><circle cx="180" cy="170" r="20" fill="${ink}"/>
    <rect x="40" y="230" width="30" height="20" fill="${ink}"/><rect x="180" y="230" width="30" height="20" fill="${ink}"/>`,
  speaker: (ink, accent) => `
    <rect x="110" y="10" width="180" height="280" rx="26" fill="${ink}"/>
    <circle cx="200" cy="200" r="62" fill="${accent}"/><circle cx="200" cy="200" r="22" fill="${ink}"/>
    <circle cx="200" cy="80" r="34" fill="${accent}"/><circle cx="200" cy="80" r="12" fill="${ink}"/>`,
  mic: (ink, accent) => `
    <rect x="150" y="10" width="100" height="150" rx="50" fill="${accent}"/>
    <path d="M120,110 Q120,220 200,220 Q280,220 280,110" fill="none" stroke="${ink}" stroke-width="14"/>
    <rect x="190" y="220" width="20" height="60" fill="${ink}"/><rect x="130" y="275" width="140" height="18" rx="9" fill="${ink}"/>
    ${[50, 80, 110].map((y) => `<line x1="160" y1="${y}" x2="240" y2="${y}" stroke="${ink}" stroke-width="5" opacity="0.5"/>`).join('')}`,
  vacuum: (ink, accent) => `
    <rect x="240" y="10" width="70" height="130" rx="24" fill="${accent}"/>
    <rect x="250" y="130" width="50" height="50" rx="10" fill="${ink}"/>
    <line x1="260" y1="170" x2="140" y2="270" stroke="${ink}" stroke-width="16"/>
    <rect x="50" y="255" width="140" height="36" rx="12" fill="${ink}"/>`,
  kitchen: (ink, accent) => `
    <path d="M90,60 Q200,20 310,60 L330,270 L70,270 Z" fill="${ink}"/>
    <rect x="110" y="110" width="180" height="100" rx="20" fill="${accent}"/>
    <rect x="150" y="130" width="100" height="20" rx="8" fill="${ink}"/>
    <circle cx="200" cy="240" r="12" fill="${accent}"/>`,
  purifier: (ink, accent) => `
    <rect x="110" y="10" width="180" height="280" rx="30" fill="${ink}"/>
    <circle cx="200" cy="90" r="56" fill="${accent}"/>
    ${[160, 190, 220, 250].map((y) => `<rect x="140" y="${y}" width="120" height="10" rx="5" fill="${accent}" opacity="0.7"/>`).join('')}`,
  sewing: (ink, accent) => `
    <rect x="20" y="240" width="360" height="40" rx="12" fill="${ink}"/>
    <path d="M40,240 L40,90 Q40,50 80,50 L340,50 Q370,50 370,90 L370,140 L300,140 L300,110 L110,110 L110,240 Z" fill="${accent}"/>
    <rect x="310" y="140" width="30" height="60" fill="${ink}"/><line x1="325" y1="200" x2="325" y2="240" stroke="${ink}" stroke-width="6"/>
    <circle cx="200" cy="30" r="20" fill="${ink}"/>`,
  dehumidifier: (ink, accent) => `
    <rect x="100" y="20" width="200" height="270" rx="24" fill="${ink}"/>
    <rect x="125" y="45" width="150" height="60" rx="10" fill="${accent}"/>
    <rect x="125" y="170" width="150" height="95" rx="12" fill="${W}" opacity="0.3"/>
    <path d="M200,190 Q180,225 200,240 Q220,225 200,190 Z" fill="${accent}"/>`,
  suitcase: (ink, accent) => `
    <rect x="150" y="10" width="100" height="50" rx="20" fill="none" stroke="${ink}" stroke-width="16"/>
    <rect x="90" y="50" width="220" height="230" rx="30" fill="${ink}"/>
    <rect x="140" y="50" width="26" height="230" fill="${accent}"/>
    <rect x="234" y="50" width="26" height="230" fill="${accent}"/>
    <circle cx="130" cy="290" r="12" fill="${ink}"/><circle cx="270" cy="290" r="12" fill="${ink}"/>`,
  guitar: (ink, accent) => `
    <rect x="190" y="0" width="26" height="170" rx="8" fill="${ink}"/>
    <circle cx="203" cy="200" r="70" fill="${accent}"/>
    <circle cx="203" cy="135" r="52" fill="${accent}"/>
    <circle cx="203" cy="180" r="20" fill="${ink}"/>
    <rect x="175" y="235" width="56" height="12" rx="4" fill="${ink}"/>`,
  piano: (ink, accent) => `
    <rect x="10" y="100" width="380" height="150" rx="14" fill="${ink}"/>
    <rect x="24" y="150" width="352" height="86" fill="${W}"/>
    ${Array.from({ length: 10 }, (_, i) => `<line x1="${24 + (i + 1) * 32}" y1="150" x2="${24 + (i + 1) * 32}" y2="236" stroke="${ink}" stroke-width="3"/>`).join('')}
    ${[0, 1, 3, 4, 5, 7, 8].map((i) => `<rect x="${46 + i * 32}" y="150" width="20" height="50" fill="${ink}"/>`).join('')}
    <rect x="30" y="115" width="120" height="22" rx="6" fill="${accent}"/>`,
  drum: (ink, accent) => `
    <ellipse cx="200" cy="110" rx="150" ry="40" fill="${accent}"/>
    <path d="M50,110 L50,240 Q200,300 350,240 L350,110 Q200,160 50,110 Z" fill="${ink}"/>
    <line x1="60" y1="20" x2="170" y2="100" stroke="${ink}" stroke-width="10" stroke-linecap="round"/><line x1="340" y1="20" x2="230" y2="100" stroke="${ink}" stroke-width="10" stroke-linecap="round"/>`,
  wind: (ink, accent) => `
    <path d="M250,10 L250,200 Q250,290 170,290 Q90,290 90,220 L90,190 L130,190 L130,220 Q130,250 170,250 Q210,250 210,200 L210,10 Z" fill="${accent}"/>
    <rect x="190" y="0" width="80" height="24" rx="8" fill="${ink}"/>
    ${[60, 100, 140, 180].map((y) => `<circle cx="230" cy="${y}" r="10" fill="${ink}"/>`).join('')}`,
  balloons: (ink, accent) => `
    <line x1="130" y1="150" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <line x1="270" y1="140" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <line x1="200" y1="110" x2="200" y2="300" stroke="${ink}" stroke-width="4"/>
    <ellipse cx="130" cy="100" rx="62" ry="76" fill="${accent}"/>
    <ellipse cx="270" cy="90" rx="62" ry="76" fill="${ink}"/>
    <ellipse cx="200" cy="60" rx="58" ry="70" fill="${W}" opacity="0.85"/>`,
  clothes: (ink, accent) => `
    <path d="M140,20 L90,40 L20,120 L70,160 L110,120 L110,290 L290,290 L290,120 L330,160 L380,120 L310,40 L260,20 Q200,70 140,20 Z" fill="${accent}"/>
    <path d="M140,20 L200,120 L260,20" fill="none" stroke="${ink}" stroke-width="12"/>
    <rect x="110" y="180" width="180" height="20" fill="${ink}"/>`,
  box: (ink, accent) => `
    <polygon points="60,110 200,60 340,110 200,160" fill="${accent}"/>
    <polygon points="60,110 200,160 200,290 60,240" fill="${ink}"/>
    <polygon points="340,110 200,160 200,290 340,240" fill="${ink}" opacity="0.8"/>
    <line x1="130" y1="85" x2="270" y2="135" stroke="${W}" stroke-width="14" opacity="0.6"/>`,
  sofa: (ink, accent) => `
    <rect x="50" y="80" width="300" height="110" rx="30" fill="${accent}"/>
    <rect x="20" y="140" width="360" height="100" rx="30" fill="${ink}"/>
    <rect x="40" y="240" width="20" height="40" fill="${ink}"/><rect x="340" y="240" width="20" height="40" fill="${ink}"/>
    <rect x="80" y="120" width="110" height="50" rx="16" fill="${W}" opacity="0.5"/>
    <rect x="210" y="120" width="110" height="50" rx="16" fill="${W}" opacity="0.5"/>`,
  monitor: (ink, accent) => `
    <rect x="30" y="20" width="340" height="210" rx="20" fill="${ink}"/>
    <rect x="50" y="40" width="300" height="170" rx="8" fill="${accent}"/>
    <rect x="180" y="230" width="40" height="40" fill="${ink}"/>
    <rect x="120" y="266" width="160" height="18" rx="9" fill="${ink}"/>`,
} satisfies Record<string, Draw>;

export type PictureKind = keyof typeof drawings;

/** Title words → drawing, checked in order (the first match wins); more specific words come first. */
const KIND_BY_TITLE: [RegExp, PictureKind][] = [
  [/재봉틀/, 'sewing'], [/공기청정기/, 'purifier'], [/제습기/, 'dehumidifier'], [/청소기|스팀|로봇|카펫/, 'vacuum'],
  [/에어프라이어|전기그릴|와플|메이커/, 'kitchen'], [/프로젝터|빔/, 'projector'], [/기타|우쿨렐레/, 'guitar'],
  [/마이크/, 'mic'], [/스피커|헤드폰|턴테이블|앰프/, 'speaker'], [/PS5|스위치|퀘스트|게임/, 'gamepad'],
  [/맥북|노트북|아이패드|탭 S/, 'laptop'], [/드론/, 'drone'], [/고프로|액션|포켓|인스타360/, 'actioncam'], [/렌즈|mm F/, 'lens'],
  [/삼각대|짐벌/, 'tripod'], [/조명|라이트/, 'light'], [/카메라|A7M3|EOS|X100V/, 'camera'], [/카시트/, 'carseat'],
  [/아기침대|바운서/, 'crib'], [/유모차/, 'stroller'], [/레고|장난감|전동차|미끄럼틀|보행기|점퍼루|쏘서/, 'toy'],
  [/캐리어|목베개|유심|차박/, 'suitcase'], [/욕조|아기띠/, 'stroller'], [/자전거|브롬톤/, 'bicycle'], [/골프/, 'golf'],
  [/축구|탁구|배드민턴/, 'ball'], [/한복|교복|코스튬|스키복|행거/, 'clothes'], [/스키|스노보드/, 'ski'],
  [/카약|스노클링|패들보드/, 'boat'], [/배낭|등산스틱|아이젠/, 'backpack'], [/건반|피아노|키보드/, 'piano'],
  [/드럼|젬베|카혼/, 'drum'], [/색소폰|플루트|칼림바|오카리나/, 'wind'], [/풍선|헬륨|돌상|포토존/, 'balloons'],
  [/아이스박스|쿨러|냉장고/, 'cooler'], [/이사|슬라이더|카트/, 'box'], [/타프|그늘막|몽골텐트/, 'tarp'], [/텐트|돔/, 'tent'], [/의자|체어/, 'chair'],
  [/테이블|식탁/, 'table'], [/침낭|매트/, 'bedding'], [/버너|화로대/, 'stove'], [/랜턴|전구/, 'lantern'],
  [/원형톱|직쏘|샌더/, 'saw'], [/드릴|드라이버/, 'drill'],
  [/공구|렌치|스패너|실리콘/, 'handtools'], [/사다리/, 'ladder'], [/측정기|수평기|멀티미터/, 'measure'],
  [/잔디깎이|고압세척기|전지가위/, 'mower'], [/가구|소파/, 'sofa'],
];

/** Drawing of a top-level category, for titles no rule knows. */
const KIND_BY_CATEGORY: Record<string, PictureKind> = {
  캠핑: 'tent', 공구: 'drill', 촬영장비: 'camera', 유아용품: 'stroller', '스포츠/레저': 'bicycle',
  '가전/디지털': 'monitor', '파티/행사': 'balloons', 여행: 'suitcase', 악기: 'guitar', 생활용품: 'sofa',
};

/** Which drawing shows a listing: from its title, else its top-level category. */
export function pictureKind(title: string, topCategory: string): PictureKind {
  return KIND_BY_TITLE.find(([words]) => words.test(title))?.[1] ?? KIND_BY_CATEGORY[topCategory] ?? 'sofa';
}

const baseHue: Record<string, number> = {
  캠핑: 110, 공구: 30, 촬영장비: 220, 유아용품: 330, '스포츠/레저': 190,
  '가전/디지털': 260, '파티/행사': 350, 여행: 45, 악기: 15, 생활용품: 160,
};

/** A deterministic "photo" of an item of `kind`: rand drives colours, background dots and framing. */
export function pictureSvg(kind: PictureKind, topCategory: string, rand: () => number, variant: number): string {
  const draw = drawings[kind];
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
