/**
 * class-transformer DTOs are read only with `@marshal/serialization/class-transformer` imported;
 * the main entry itself loads neither class-transformer nor any Node built-in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';

// class-transformer's decorators only work as experimentalDecorators (vitest compiles TC39 ones), so they are applied by hand.
class Line {
  sku!: string;
}
Expose()(Line.prototype, 'sku');
class Order {
  lines!: Line[];
}
Type(() => Line)(Order.prototype, 'lines');

describe('@marshal/serialization/class-transformer', () => {
  it('is what lets a class declared with @Type/@Expose alone be read', async () => {
    vi.resetModules();
    const serialization = await import('./index.js');
    expect(() => serialization.codecFor(Order).decode({ lines: [] })).toThrow(
      "class Order has no declared fields: mark them with @field(…), or use class-transformer's @Type/@Expose and import '@marshal/serialization/class-transformer'",
    );
    await import('./class-transformer.js');
    const order = serialization.codecFor(Order).decode({ lines: [{ sku: 'tea' }], note: 'kept' }) as Order;
    expect(order).toBeInstanceOf(Order);
    expect(order.lines[0]).toBeInstanceOf(Line);
    expect(order).toEqual(Object.assign(new Order(), { lines: [Object.assign(new Line(), { sku: 'tea' })], note: 'kept' }));
  });

  it('is the only module of the package that imports class-transformer, and none imports a Node built-in', () => {
    const seen = new Set<string>();
    const imports: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, from, bare] of source.matchAll(/^(?:import|export)\b[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
        const specifier = from ?? bare;
        if (specifier.startsWith('./')) visit(specifier.replace(/\.js$/, '.ts'));
        else imports.push(specifier);
      }
    };
    visit('./index.ts');
    expect(seen.size).toBeGreaterThan(10);
    expect(imports).toEqual([]);
  });
});
