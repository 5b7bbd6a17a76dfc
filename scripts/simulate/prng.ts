// A seeded generator (sfc32, seeded through splitmix32) drives every choice
// the simulator makes, so a seed replays a run exactly. Streams are forked by
// label: one person's plan does not shift when another's draws change.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  // FNV-1a, enough to spread labels over the seed space.
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index += 1) hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let warm = 0; warm < 12; warm += 1) this.next();
  }

  static of(seed: number, label = ''): Prng {
    return new Prng((seed ^ hashLabel(label)) >>> 0);
  }

  fork(label: string): Prng {
    return new Prng((this.next() ^ hashLabel(label)) >>> 0);
  }

  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t >>> 0;
  }

  // [0, 1)
  float(): number {
    return this.next() / 4_294_967_296;
  }

  // min..max, both included.
  int(min: number, max: number): number {
    if (max < min) throw new Error(`Prng.int: ${max} < ${min}`);
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('Prng.pick: no items');
    return item;
  }

  // An item by weight: [[weight, item], …].
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let left = this.float() * total;
    for (const [weight, item] of choices) {
      left -= weight;
      if (left < 0) return item;
    }
    const last = choices[choices.length - 1];
    if (last === undefined) throw new Error('Prng.weighted: no choices');
    return last[1];
  }

  // Days until the next event of a process with this many events a year.
  daysUntil(eventsPerYear: number): number {
    return Math.max(1, Math.ceil((-Math.log(1 - this.float()) / eventsPerYear) * 365));
  }
}
