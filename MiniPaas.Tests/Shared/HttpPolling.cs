using System.Net;

namespace MiniPaas.Tests.Shared;

/// <summary>Polls a freshly started app until it answers, for tests that start containers or processes themselves.</summary>
internal static class HttpPolling
{
    /// <summary>The body of the first 200 answer from <paramref name="url"/>; fails the test when none came within <paramref name="timeout"/>.</summary>
    public static async Task<string> GetUntilAnsweredAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url, cts.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync(cts.Token);
                }
            }
            catch (HttpRequestException) when (!cts.IsCancellationRequested)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cts.IsCancellationRequested)
            {
                // This attempt timed out; try again.
            }

            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{url} did not answer 200 within {timeout.TotalSeconds:0} s.");
            }
        }
    }
}
