// A tiny tagged template for parameterised SQL: values become $n parameters, never text.
export class Sql {
  constructor(readonly strings: readonly string[], readonly values: readonly unknown[]) {}

  /** Renders to text + params, numbering parameters across nested fragments. */
  toQuery(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const render = (frag: Sql): string => {
      let text = frag.strings[0];
      frag.values.forEach((v, i) => {
        if (v instanceof Sql) text += render(v);
        else {
          values.push(v);
          text += `$${values.length}`;
        }
        text += frag.strings[i + 1];
      });
      return text;
    };
    return { text: render(this), values };
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (identifiers chosen by code, never by users). */
sql.raw = (text: string) => new Sql([text], []);
/** Joins fragments with a separator: sql.join([sql`a = ${1}`, sql`b = ${2}`], ' AND '). */
sql.join = (parts: Sql[], separator: string): Sql => {
  if (parts.length === 0) return sql.raw('');
  const strings = ['', ...parts.slice(1).map(() => separator), ''];
  return new Sql(strings, parts);
};
/** An empty fragment, handy in conditional filters. */
sql.empty = () => sql.raw('');
