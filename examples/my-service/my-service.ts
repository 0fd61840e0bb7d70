import { IMyService } from './contract.js';
import { selectTexts } from './select-texts.js';

export class MyService extends IMyService {
  override async select(id: string, data: Record<string, unknown>[], drop_duplicates?: boolean | null): Promise<string[]> {
    return selectTexts(id, data, drop_duplicates === true);
  }
}
