using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Wsconform.Engine.Running;

namespace Wsconform.Engine.Transport;

/// <summary>How a connection ended, as far as TCP can tell.</summary>
public enum TcpEnd
{
    /// <summary>Still open.</summary>
    Open,
    /// <summary>The peer closed its side in order (read returned 0).</summary>
    FinByPeer,
    /// <summary>The peer reset the connection.</summary>
    ResetByPeer,
    /// <summary>The harness closed the connection.</summary>
    ClosedByHarness,
}

/// <summary>
/// One TCP connection, optionally wrapped in TLS: <c>ws://</c> over plain TCP with Nagle off (so chopped writes leave as
/// separate segments, as Autobahn's do), <c>wss://</c> over TLS with SNI taken from the URL host.
/// </summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _closedByHarness;

    private Connection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>Wraps an accepted socket (server role); the caller owns TLS if any.</summary>
    public static Connection FromAccepted(Socket socket, Stream? stream = null)
    {
        socket.NoDelay = true;
        return new Connection(socket, stream ?? new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>Connects to the URL's host and port, and negotiates TLS for <c>wss</c>. Failures throw <see cref="ConnectException"/> with one clear line.</summary>
    public static async Task<Connection> ConnectAsync(TargetOptions target, CancellationToken cancellationToken)
    {
        var url = target.Url;
        // Before connecting: an unreadable CA file is a configuration error, and must not strand an open socket.
        var tls = url.Scheme == "wss" ? TlsSettings.For(target) : null;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(url.DnsSafeHost, url.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ConnectException(DescribeSocketError(e, url), e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls is not null)
        {
            var sslStream = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await sslStream.AuthenticateAsClientAsync(tls.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Every failure, a timeout included, closes the socket here: nothing else holds it.
                await sslStream.DisposeAsync().ConfigureAwait(false);
                socket.Dispose();
                if (e is not (AuthenticationException or IOException)) throw;
                var reason = tls.Rejection ?? e.Message + (e.InnerException is { } inner ? " (" + inner.Message + ")" : "");
                throw new ConnectException($"TLS handshake with {url.Host}:{url.Port} failed: {reason}", e);
            }
            stream = sslStream;
        }
        return new Connection(socket, stream);
    }

    /// <summary>Reads what is available; 0 means the peer closed its side.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => _stream.ReadAsync(buffer, cancellationToken);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> octets, CancellationToken cancellationToken) => _stream.WriteAsync(octets, cancellationToken);

    /// <summary>
    /// Octets received and not yet read (on a TLS connection, still encrypted): lets the harness see that a peer sent
    /// something without a read it would have to cancel.
    /// </summary>
    public int OctetsWaiting
    {
        get
        {
            try
            {
                return _socket.Available;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// Sends an HTTP response that ends the exchange (a refused upgrade), half-closes and drains, briefly, what the peer
    /// still sends, so closing with unread octets does not reset the connection before the peer has read the response.
    /// Bounded by <paramref name="within"/>; never throws for what the peer does.
    /// </summary>
    public async Task SendFinalResponseAsync(ReadOnlyMemory<byte> response, TimeSpan within, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        try
        {
            await WriteAsync(response, deadline.Token).ConfigureAwait(false);
            // A TLS stream cannot be half-closed underneath its records; the drain below still ends with the peer.
            if (_stream is not SslStream) _socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            var drained = 0;
            while (drained < 64 * 1024)
            {
                var read = await ReadAsync(sink, deadline.Token).ConfigureAwait(false);
                if (read == 0) break;
                drained += read;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    /// <summary>True once <see cref="Drop"/> was called.</summary>
    public bool ClosedByHarness => Volatile.Read(ref _closedByHarness) != 0;

    /// <summary>
    /// Closes the TCP connection from the harness's side. <paramref name="abort"/> resets it (linger 0) as Autobahn's
    /// <c>dropConnection(abort=True)</c> does; otherwise the close is orderly.
    /// </summary>
    public void Drop(bool abort)
    {
        if (Interlocked.Exchange(ref _closedByHarness, 1) != 0) return;
        try
        {
            if (abort) _socket.LingerState = new LingerOption(true, 0);
            else _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        Drop(abort: false);
        try { await _stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    private static string DescribeSocketError(SocketException e, Uri url) => e.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"cannot resolve host '{url.Host}'",
        SocketError.ConnectionRefused => $"connection to {url.Host}:{url.Port} refused (is the server running?)",
        SocketError.TimedOut => $"connection to {url.Host}:{url.Port} timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{url.Host}:{url.Port} is unreachable",
        _ => $"cannot connect to {url.Host}:{url.Port}: {e.Message}",
    };
}

/// <summary>A connection attempt failed before any WebSocket exchange; the message is one line for the user.</summary>
public sealed class ConnectException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Validates a server certificate against CA certificates the user supplied (<c>--ca FILE</c>).</summary>
internal static class TrustStore
{
    public static X509Certificate2Collection Load(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) collection.ImportFromPemFile(path);
            else collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ConnectException($"cannot read CA file '{path}': {e.Message}", e);
        }
        if (collection.Count == 0) throw new ConnectException($"CA file '{path}' holds no certificate");
        return collection;
    }

    /// <summary>
    /// Null when the certificate chains to one of <paramref name="roots"/> (with the intermediates the server sent)
    /// and names the host; otherwise why not, for the error line.
    /// </summary>
    public static string? Check(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection roots, string host)
    {
        if (certificate is null) return "the server sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"the server certificate ({certificate.Subject}) does not match the host name '{host}'";
        if (errors == SslPolicyErrors.None) return null;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // The CA file usually holds only the root; the intermediates are what the server sent (SslStream puts them there).
        if (presented is not null) chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf)) return null;
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
        return $"the server certificate ({certificate.Subject}) is not trusted by the CA file ({status})";
    }
}

/// <summary>The client TLS options of one connection, and why the certificate check rejected the server, if it did.</summary>
internal sealed class TlsSettings
{
    private TlsSettings(string host) => Options = new SslClientAuthenticationOptions { TargetHost = host };

    /// <summary>TargetHost is the URL host: sent as SNI and checked against the certificate.</summary>
    public SslClientAuthenticationOptions Options { get; }

    /// <summary>Set by the <c>--ca</c> check when it refused the certificate; SslStream's own message does not say why.</summary>
    public string? Rejection { get; private set; }

    public static TlsSettings For(TargetOptions target)
    {
        var settings = new TlsSettings(target.Url.IdnHost);
        if (target.Insecure)
        {
            settings.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (target.CaFile is { } caFile)
        {
            var roots = TrustStore.Load(caFile);
            settings.Options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                settings.Rejection = TrustStore.Check(certificate, chain, errors, roots, target.Url.IdnHost);
                return settings.Rejection is null;
            };
        }
        return settings;
    }
}
