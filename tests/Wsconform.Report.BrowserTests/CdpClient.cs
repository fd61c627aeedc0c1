using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wsconform.Report.BrowserTests;

/// <summary>
/// A minimal Chrome DevTools Protocol client for one page target: JSON commands over
/// <see cref="ClientWebSocket"/>, responses matched by id, events kept for inspection. Every wait has a deadline.
/// </summary>
internal sealed class CdpClient : IAsyncDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> pending = new();
    private readonly List<(string Method, JsonObject Params)> events = [];
    private readonly List<(string Method, Func<JsonObject, bool> Match, TaskCompletionSource<JsonObject> Done)> waiters = [];
    private readonly CancellationTokenSource stop = new();
    private Task? receiveLoop;
    private int nextId;

    /// <summary>Connects to the first page target of the browser at <paramref name="http"/> (its /json/list).</summary>
    public static async Task<CdpClient> ConnectToPageAsync(Uri http)
    {
        using var client = new HttpClient { Timeout = CommandTimeout };
        var list = JsonNode.Parse(await client.GetStringAsync(new Uri(http, "json/list")))!.AsArray();
        var page = list.FirstOrDefault(t => (string?)t!["type"] == "page")
            ?? throw new InvalidOperationException("chromium has no page target: " + list.ToJsonString());
        var cdp = new CdpClient();
        using var cts = new CancellationTokenSource(CommandTimeout);
        await cdp.socket.ConnectAsync(new Uri((string)page!["webSocketDebuggerUrl"]!), cts.Token);
        cdp.receiveLoop = Task.Run(cdp.ReceiveLoopAsync);
        return cdp;
    }

    /// <summary>Events received so far with the given method.</summary>
    public IReadOnlyList<JsonObject> Events(string method)
    {
        lock (events)
        {
            return events.Where(e => e.Method == method).Select(e => e.Params).ToArray();
        }
    }

    /// <summary>Starts waiting for an event before the command that triggers it is sent.</summary>
    public Task<JsonObject> WaitForEventAsync(string method, TimeSpan timeout, Func<JsonObject, bool>? match = null)
    {
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (events)
        {
            waiters.Add((method, match ?? (_ => true), done));
        }
        return done.Task.WaitAsync(timeout);
    }

    public async Task<JsonObject> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = done;
        var message = new JsonObject
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters is null ? new JsonObject() : JsonSerializer.SerializeToNode(parameters),
        };
        using var cts = new CancellationTokenSource(CommandTimeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        try
        {
            var response = await done.Task.WaitAsync(CommandTimeout);
            if (response["error"] is { } error)
            {
                throw new InvalidOperationException($"CDP {method} failed: {error.ToJsonString()}");
            }
            return response["result"]?.AsObject() ?? [];
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value (JSON-serialisable results only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"page threw evaluating {expression}: {exception.ToJsonString()}");
        }
        return result["result"]?["value"]?.DeepClone();
    }

    public async Task<T> EvaluateAsync<T>(string expression) =>
        (await EvaluateAsync(expression))!.GetValue<T>();

    /// <summary>Polls <paramref name="condition"/> (a JS boolean expression) until it is true or the deadline passes.</summary>
    public async Task<bool> WaitUntilAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await EvaluateAsync(condition) is JsonValue v && v.TryGetValue<bool>(out var ok) && ok)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, stop.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } idNode)
                {
                    if (pending.TryGetValue(idNode.GetValue<int>(), out var done))
                    {
                        done.TrySetResult(json);
                    }
                    continue;
                }
                var method = (string?)json["method"] ?? "";
                var parameters = json["params"]?.AsObject() ?? [];
                lock (events)
                {
                    events.Add((method, parameters));
                    foreach (var w in waiters.Where(w => w.Method == method && w.Match(parameters)).ToArray())
                    {
                        waiters.Remove(w);
                        w.Done.TrySetResult(parameters);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var p in pending.Values)
        {
            p.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        if (receiveLoop is not null)
        {
            await receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        socket.Dispose();
        stop.Dispose();
    }
}
