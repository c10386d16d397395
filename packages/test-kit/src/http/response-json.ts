/** A fetch Response's JSON body, as the shape the test expects (`unknown` unless it names one). */
export async function responseJson<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
