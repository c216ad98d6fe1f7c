// The text a listing is embedded from (SPEC §8): title, content, category path, region names,
// fee, deposit, methods. One function so the worker, suggestions and benchmarks agree.

const METHOD: Record<string, string> = { DIRECT: '직거래', DELIVERY: '택배', ANY: '직거래 또는 택배' };

export interface EmbeddingSource {
  id: number;
  title: string;
  content: string;
  category_path: string | null;
  regions: string | null;
  fee: number;
  deposit: number;
  receive_method: string;
  return_method: string;
}

export function listingText(p: EmbeddingSource): string {
  return [
    p.title,
    p.title, // the title says what the thing is: count it twice against long contents
    p.category_path ? `카테고리: ${p.category_path}` : '',
    p.content,
    p.regions ? `지역: ${p.regions}` : '',
    `대여료 하루 ${p.fee}원, 보증금 ${p.deposit}원`,
    `수령 ${METHOD[p.receive_method] ?? p.receive_method}, 반납 ${METHOD[p.return_method] ?? p.return_method}`,
  ]
    .filter(Boolean)
    .join('\n');
}
