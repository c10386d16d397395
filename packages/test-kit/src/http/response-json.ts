/** A fetch Response's JSON body, typed loosely so tests can reach into it (fetch types it unknown). */
export async function responseJson(response: Response): Promise<any> {
  return response.json();
}
