// The short checklist of a condition record, per top-level listing category (issue 12 point 4).
// One place: the service validates records against it and the web app shows the same items.

const DEFAULT_CHECKLIST = ['작동이 정상이에요', '구성품이 모두 있어요', '외관에 흠·파손이 없어요', '오염이 없어요'];

/** top-level category name → checklist items (the rest use the default) */
const BY_CATEGORY: Record<string, string[]> = {
  캠핑: ['구성품(폴대·팩·스트링)이 모두 있어요', '찢어짐·구멍이 없어요', '오염·곰팡이가 없어요', '지퍼·버클이 정상이에요'],
  공구: ['전원이 켜지고 작동해요', '배터리·충전기가 있어요', '날·비트 상태가 괜찮아요', '외관 파손이 없어요'],
  촬영장비: ['전원이 켜지고 작동해요', '렌즈·센서에 흠이 없어요', '배터리·메모리카드가 있어요', '외관 파손이 없어요'],
  유아용품: ['구성품이 모두 있어요', '오염·얼룩이 없어요', '잠금장치·벨트가 정상이에요', '외관 파손이 없어요'],
  '스포츠/레저': ['작동(브레이크·바인딩 등)이 정상이에요', '구성품이 모두 있어요', '외관에 흠·파손이 없어요', '오염이 없어요'],
  '가전/디지털': ['전원이 켜지고 작동해요', '충전기·케이블·리모컨이 있어요', '화면·외관에 흠이 없어요', '오염이 없어요'],
  악기: ['소리가 정상이에요', '줄·건반·부속이 모두 있어요', '외관에 흠·파손이 없어요', '케이스가 있어요'],
};

export function checklistFor(topCategory: string | null): string[] {
  return (topCategory && BY_CATEGORY[topCategory]) || DEFAULT_CHECKLIST;
}
