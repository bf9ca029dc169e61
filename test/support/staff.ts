/** Staff identities and upload ports for use-case tests on the in-memory twins. */
import { uploadTickets } from '../../functions/adapters/upload-links.ts';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import type { UploadPorts } from '../../functions/use-cases/personal-links.ts';
import type { UploadStore } from '../../functions/use-cases/ports.ts';

/** A staff member of `commissionId` with `role`, with an address like the demo accounts'. */
export const staffMember = (commissionId: string, role: StaffIdentity['role']): StaffIdentity => ({
  subject: `${commissionId}-${role}`,
  email: `${commissionId}.${role}@staff.bangfu.example.org`,
  name: `演示${role}`,
  commissionId,
  role,
});

/** Personal links signed with a test secret under http://127.0.0.1:8080; no presigned POST is made. */
export function testUploadPorts(store: UploadStore, clock: () => Date): UploadPorts {
  return {
    store,
    tickets: uploadTickets('a-test-secret-that-is-long-enough-0123456789'),
    presignPost: async () => ({ url: 'http://s3.invalid/', fields: {}, expiresAt: clock() }),
    clock,
    newId: () => 'unused',
    settings: {
      publicUrl: 'http://127.0.0.1:8080',
      bucket: 'files',
      maxBytes: 1024,
      graceDays: 30,
      postExpirySeconds: 600,
    },
  };
}
