/**
 * The service's name and the version of its HTTP contract, as the OpenAPI document and GET /v2
 * report them. The version follows the contract, not the package: bump it when a route, a field
 * or a rule changes.
 */
export const SERVICE = {
  name: 'purchase-api',
  version: '1.0.0',
} as const;
