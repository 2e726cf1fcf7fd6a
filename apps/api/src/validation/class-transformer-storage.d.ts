// class-transformer keeps @Type() metadata in a storage its index does not re-export; the same
// file is what its own decorators write to, so reading it here sees every @Type().
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
