import { IMyService } from './contract.js';

export class MyService extends IMyService {
  override async select(id: string, data: Record<string, unknown>[], drop_duplicates?: boolean | null): Promise<string[]> {
    const result: string[] = [];
    for (const element of data) {
      if (element.id !== id) continue;
      const text = String(element.text);
      if (drop_duplicates && result.includes(text)) continue;
      result.push(text);
    }
    return result;
  }
}
