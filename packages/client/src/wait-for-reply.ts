/**
 * Polls GET <baseUrl>/heartbeat until it answers 200 or `timeoutSeconds` pass (as the
 * reference's ApiUtils.wait_for_reply does). Rejects with the last failure.
 */
export async function waitForReply(baseUrl: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const url = `${baseUrl.replace(/\/+$/, '')}/heartbeat`;
  let lastProblem = 'no attempt made';
  do {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (Date.now() < deadline);
  throw new Error(`${url} did not answer 200 within ${timeoutSeconds} s: ${lastProblem}`);
}
