/**
 * Bounce and complaint notices held over a non-working day: each put once under the problem's
 * identity, listed by the working day's tick, and deleted once it has sent them.
 */
import type { PendingDeliveryNotice } from '../../domain/records.ts';
import { keys } from '../dynamo-keys.ts';
import { entity, type Table } from './table.ts';

export class DynamoPendingNotices {
  constructor(private readonly table: Table) {}

  /** False when the notice is held already (a redelivered event). */
  holdDeliveryNotice(notice: PendingDeliveryNotice): Promise<boolean> {
    return this.table.putIfAbsent({
      ...keys.pendingDeliveryNotice(notice),
      itemType: 'pending-notice',
      ...notice,
    });
  }

  /** Consistent: a notice held a moment ago is sent by a tick now. */
  async pendingDeliveryNotices(): Promise<PendingDeliveryNotice[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.pendingDeliveryNotices().PK },
      ConsistentRead: true,
    });
    return items.map((item) => entity<PendingDeliveryNotice>(item));
  }

  /** False when it is gone already: another run removed it. */
  removePendingDeliveryNotice(
    notice: Pick<PendingDeliveryNotice, 'at' | 'messageId' | 'email'>,
  ): Promise<boolean> {
    const { PK, SK } = keys.pendingDeliveryNotice(notice);
    return this.table.deleteIf({ PK, SK }, { expression: 'attribute_exists(PK)' });
  }
}
