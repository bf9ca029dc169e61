/** The generated PDFs' records: each written once, listed newest first. */
import type { DocumentRecord } from '../../domain/records.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { entity, type Table } from './table.ts';

export class DynamoDocuments {
  constructor(private readonly table: Table) {}

  /** False when a document with its id is already recorded. */
  putDocument(record: DocumentRecord): Promise<boolean> {
    return this.table.putIfAbsent({ ...keys.document(record), itemType: 'document', ...record });
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const item = await this.table.get({ PK: `DOC#${id}`, SK: 'META' });
    return item ? entity<DocumentRecord>(item) : undefined;
  }

  /** Newest first. */
  async listDocuments(): Promise<DocumentRecord[]> {
    const items = await this.table.index(TABLE_KEYS.byProgramme, keys.allDocuments().GSI1PK);
    return items.map((item) => entity<DocumentRecord>(item)).reverse();
  }
}
