/** Quotes one word for POSIX sh so it reaches the program literally. */
export function shQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shJoin(words: string[]): string {
  return words.map(shQuote).join(' ');
}
