using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The namespace is not Wsconform.EchoServer on purpose: a namespace and a type of the same name make every
// consumer write Wsconform.EchoServer.EchoServer.
namespace Wsconform.Echo;

/// <summary>
/// A WebSocket echo server on Kestrel and the framework's own WebSocket implementation, bound to 127.0.0.1.
/// Every path accepts an upgrade; each received chunk goes back at once with the same message type and the same
/// end-of-message flag (a streaming echo, so a 16 MiB message never needs a 16 MiB buffer); a Close is answered
/// with the same status. Quiet: no logging, no console output. With a certificate it serves <c>wss://</c> (TLS) instead
/// of <c>ws://</c>, for testing the harness's TLS transport.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    /// <summary>Receive chunk size; also the largest frame the echo sends.</summary>
    private const int ChunkSize = 64 * 1024;

    private readonly WebApplication _app;
    private int _disposed;

    private EchoServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>
    /// The server's WebSocket URL: <c>ws://127.0.0.1:PORT/</c>, or with TLS <c>wss://localhost:PORT/</c> (a host name, so
    /// that a client sends it as SNI and checks the certificate against it).
    /// </summary>
    public Uri Url { get; }

    /// <summary>
    /// What this server is known to do on every case that is not OK, with reasons, as an expectations file (JSON): the
    /// deviations of ASP.NET Core's WebSocket support that the catalogue finds. <c>wsconform run</c> applies it when it
    /// tests the built-in server, so the demo run passes while still listing each deviation.
    /// </summary>
    public static string KnownResultsJson { get; } = ReadKnownResults();

    private static string ReadKnownResults()
    {
        using var stream = typeof(EchoServer).Assembly.GetManifestResourceStream("known-results.expectations.json")
            ?? throw new InvalidOperationException("the known-results resource is missing from the echo server assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The value of the Server header on every response, <c>wsconform-echo/VERSION</c>.</summary>
    public static string ServerHeader { get; } = "wsconform-echo/" + Version();

    /// <summary>Starts the server on 127.0.0.1:<paramref name="port"/>, or on a free port when it is 0.</summary>
    public static Task<EchoServer> StartAsync(int port = 0, CancellationToken ct = default) => StartCoreAsync(null, port, enableCompression: false, ct);

    /// <summary>
    /// Starts the echo server with permessage-deflate negotiated when a client offers it (ASP.NET Core's
    /// <c>DangerousEnableCompression</c>, off by default there and in <see cref="StartAsync(int, CancellationToken)"/>).
    /// The compression categories then run against it too: 216 trials of 1000 round trips, minutes of CPU on both sides
    /// in one process, which is why the default built-in target does not negotiate it.
    /// </summary>
    public static Task<EchoServer> StartWithCompressionAsync(int port = 0, CancellationToken ct = default) =>
        StartCoreAsync(null, port, enableCompression: true, ct);

    /// <summary>
    /// Starts the server with TLS on 127.0.0.1:<paramref name="port"/> (a free port when 0), presenting
    /// <paramref name="certificate"/>, which must carry its private key. The caller keeps ownership of the certificate.
    /// </summary>
    public static Task<EchoServer> StartAsync(X509Certificate2 certificate, int port = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey) throw new ArgumentException("The TLS certificate needs its private key.", nameof(certificate));
        return StartCoreAsync(certificate, port, enableCompression: false, ct);
    }

    private static async Task<EchoServer> StartCoreAsync(X509Certificate2? certificate, int port, bool enableCompression, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(EchoServer).Assembly.GetName().Name,
            // Not the working directory: an appsettings.json lying there must not reconfigure the server.
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // Only what is set here counts (no ASPNETCORE_* URLs or Kestrel endpoints from the environment).
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        // The host must not take over Ctrl+C or print "Application started": the CLI owns the console.
        builder.Services.AddSingleton<IHostLifetime, SilentHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });

        var app = builder.Build();
        // No server pings: they would add frames the cases do not expect.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(context => HandleAsync(context, enableCompression));

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var bound = new Uri(address);
        return new EchoServer(app, new Uri(certificate is null ? $"ws://127.0.0.1:{bound.Port}/" : $"wss://localhost:{bound.Port}/"));
    }

    private static async Task HandleAsync(HttpContext context, bool enableCompression)
    {
        context.Response.Headers.Server = ServerHeader;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("wsconform echo server: this endpoint only accepts WebSocket upgrades (RFC 6455).\n").ConfigureAwait(false);
            return;
        }

        // Offered subprotocols: take the first, as most echo servers do, so --protocol works against this target.
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var accept = new WebSocketAcceptContext
        {
            SubProtocol = requested.Count > 0 ? requested[0] : null,
            // permessage-deflate (RFC 7692) only when asked for. "Dangerous" refers to compression side channels
            // (CRIME/BREACH) for secrets in messages; an echo server has none.
            DangerousEnableCompression = enableCompression,
        };
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            return;
        }

        // Deliberately not disposed. After a protocol error the framework has sent its Close and put the socket in
        // the Aborted state; disposing it then makes Kestrel reset the connection (RST), and an RST can destroy the
        // Close frame before the peer reads it. Kestrel owns the transport and releases it when the request ends.
        await EchoAsync(socket, stopping).ConfigureAwait(false);
    }

    private static async Task EchoAsync(WebSocket socket, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), stopping).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // 1005 (no status in the peer's Close) must never go on the wire: reply 1000 then.
                    var status = socket.CloseStatus is null or WebSocketCloseStatus.Empty
                        ? WebSocketCloseStatus.NormalClosure
                        : socket.CloseStatus.Value;
                    await socket.CloseOutputAsync(status, socket.CloseStatusDescription, stopping).ConfigureAwait(false);
                    return;
                }
                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stopping)
                    .ConfigureAwait(false);
            }
        }
        // The peer broke the protocol (the framework has already sent its 1002/1007 Close), went away, or the
        // server is stopping: returning ends the request and Kestrel closes TCP. Nothing is logged.
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (ArgumentException)
        {
            // A close status the framework refuses to send; the connection just ends.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops accepting, aborts open connections after a short grace period, and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Version()
    {
        var version = typeof(EchoServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(EchoServer).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>A host lifetime that neither hooks Ctrl+C/SIGTERM nor writes to the console.</summary>
    private sealed class SilentHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
