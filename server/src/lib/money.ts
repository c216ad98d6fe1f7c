/** An amount in Korean text: 30000 → '30,000원'. */
export const won = (n: number) => `${n.toLocaleString('ko-KR')}원`;
