using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Wsconform.Tests.Serving;

/// <summary>
/// A client test driver written only from Autobahn|Testsuite's documentation of its fuzzingserver (the loop every
/// Autobahn client example runs): <c>/getCaseCount</c>, then <c>/runCase?case=N&amp;agent=A</c> for each N, echoing every
/// message, then <c>/updateReports?agent=A</c>. The client under test is .NET's <see cref="ClientWebSocket"/>, which
/// answers pings and the closing handshake itself.
/// </summary>
internal static class AutobahnDriver
{
    /// <summary>Builds the client under test; <paramref name="configure"/> sets options such as permessage-deflate.</summary>
    public static ClientWebSocket NewClient(Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new ClientWebSocket();
        // No keep-alive: an unsolicited pong in the middle of a case would be an event the case does not expect.
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(client.Options);
        return client;
    }

    /// <summary>Connects to <c>/getCaseCount</c> and returns the number in the one text message.</summary>
    public static async Task<int> GetCaseCountAsync(string baseUrl, CancellationToken ct)
    {
        var messages = await ReceiveAllAsync(new Uri(baseUrl + "/getCaseCount"), ct);
        return int.Parse(messages.Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>Connects to a URL of the protocol and returns the text messages the server sent before closing.</summary>
    public static async Task<IReadOnlyList<string>> ReceiveAllAsync(Uri url, CancellationToken ct)
    {
        using var client = NewClient();
        await client.ConnectAsync(url, ct);
        var messages = new List<string>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                return messages;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            messages.Add(Encoding.UTF8.GetString(message.ToArray()));
            message.SetLength(0);
        }
    }

    /// <summary>
    /// Runs one case: connects to <c>/runCase</c> and echoes every text or binary message until the server closes; a
    /// Close is answered with its own code. Returns how the client saw the end (for diagnostics), never throws for
    /// what the server does: a client that fails the connection on a bad frame is what many cases expect.
    /// </summary>
    public static async Task<string> RunCaseAsync(string baseUrl, int caseNumber, string agent, CancellationToken ct,
        Action<ClientWebSocketOptions>? configure = null) =>
        await EchoAsync(new Uri($"{baseUrl}/runCase?case={caseNumber}&agent={Uri.EscapeDataString(agent)}"), ct, configure);

    public static async Task<string> EchoAsync(Uri url, CancellationToken ct, Action<ClientWebSocketOptions>? configure = null)
    {
        using var client = NewClient(configure);
        try
        {
            await client.ConnectAsync(url, ct);
            var buffer = new byte[256 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await client.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = result.CloseStatus ?? WebSocketCloseStatus.Empty;
                    await client.CloseOutputAsync(status, status == WebSocketCloseStatus.Empty ? null : result.CloseStatusDescription, ct);
                    return $"closed by server with {(int)status}";
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                await client.SendAsync(message.ToArray(), result.MessageType, endOfMessage: true, ct);
                message.SetLength(0);
            }
        }
        catch (WebSocketException e)
        {
            return $"client failed: {e.WebSocketErrorCode}: {e.Message}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "client aborted";
        }
    }

    /// <summary>Connects to <c>/updateReports?agent=A</c> and waits for the server's close.</summary>
    public static Task<IReadOnlyList<string>> UpdateReportsAsync(string baseUrl, string agent, CancellationToken ct) =>
        ReceiveAllAsync(new Uri($"{baseUrl}/updateReports?agent={Uri.EscapeDataString(agent)}"), ct);

    /// <summary>The whole loop; returns each case's end as the client saw it, by case number.</summary>
    public static async Task<IReadOnlyList<string>> RunAllAsync(string baseUrl, string agent, CancellationToken ct,
        Action<ClientWebSocketOptions>? configure = null)
    {
        var count = await GetCaseCountAsync(baseUrl, ct);
        var ends = new List<string>();
        for (var n = 1; n <= count; n++)
            ends.Add(await RunCaseAsync(baseUrl, n, agent, ct, configure));
        await UpdateReportsAsync(baseUrl, agent, ct);
        return ends;
    }
}
