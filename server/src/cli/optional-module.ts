/**
 * Imports a sibling area's module that may not exist in this build (record/replay, the networked
 * broker factory), with an error that says what is missing instead of a bare ERR_MODULE_NOT_FOUND.
 */
export async function optionalModule<T>(relativeToCli: string, what: string): Promise<T> {
  const url = new URL(relativeToCli, import.meta.url).href;
  try {
    return (await import(url)) as T;
  } catch (error) {
    throw new Error(`${what} is not available in this build (${relativeToCli})`, { cause: error });
  }
}
