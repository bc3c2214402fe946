/** A store location as it may be shown (output, errors, logs): a postgres URL's password masked. */
export function storeLabel(location: string): string {
  return location.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
