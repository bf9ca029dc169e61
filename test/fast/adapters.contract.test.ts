/** The contracts against the in-memory twins: the same cases the real adapters pass on the embedded stack. */
import { MemoryFiles } from '../../functions/adapters/memory/memory-files.ts';
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { fileStoreContract } from '../contract/files.contract.ts';
import { storeContract } from '../contract/store.contract.ts';

storeContract(async () => new MemoryStore());

fileStoreContract(async () => {
  const files = new MemoryFiles();
  const bucket = 'bangfu-files';
  return {
    files,
    documents: files,
    bucket,
    upload: async (key, bytes) => {
      await files.upload(bucket, key, bytes);
    },
  };
});
