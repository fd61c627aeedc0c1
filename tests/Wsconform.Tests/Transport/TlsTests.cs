using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Wsconform.Cases;
using Wsconform.Cli;
using Wsconform.Echo;
using Wsconform.Engine.Running;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Tests.Cli;
using Wsconform.Tests.Conformance;

namespace Wsconform.Tests.Transport;

/// <summary>
/// The <c>wss://</c> transport against the echo server with TLS and certificates made in the test: <c>--insecure</c>,
/// the system trust store, <c>--ca</c> as PEM and DER, name checks, SNI, a real run and the CLI end to end.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TlsTests
{
    private static readonly ProtocolTimeouts Timeouts = ProtocolTimeouts.Autobahn;

    private TestCertificates _pki = null!;
    private EchoServer _localhost = null!;
    private EchoServer _otherName = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _pki = new TestCertificates();
        _localhost = await EchoServer.StartAsync(_pki.Localhost);
        _otherName = await EchoServer.StartAsync(_pki.OtherName);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _localhost.DisposeAsync();
        await _otherName.DisposeAsync();
        _pki.Dispose();
    }

    [Test]
    public void EchoServer_WithCertificate_ServesWssOnLocalhost()
    {
        _localhost.Url.Scheme.Should().Be("wss");
        _localhost.Url.Host.Should().Be("localhost");
        _localhost.Url.AbsolutePath.Should().Be("/");
        _localhost.Url.Port.Should().BePositive().And.NotBe(_otherName.Url.Port);
    }

    [Test]
    public async Task EchoServer_WithCertificateWithoutPrivateKey_IsRefused()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(_pki.Localhost.RawData);
        var start = () => EchoServer.StartAsync(publicOnly);
        await start.Should().ThrowAsync<ArgumentException>();
    }

    [Test]
    public async Task Probe_Insecure_AcceptsTheSelfSignedChain()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost, insecure: true), Timeouts);

        probe.Error.Should().BeNull();
        probe.ServerHeader.Should().Be(EchoServer.ServerHeader);
    }

    [Test]
    public async Task Probe_WithoutTrustOptions_FailsWithOneLineAboutTls()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost), Timeouts);

        probe.Ok.Should().BeFalse();
        ShouldBeOneLine(probe.Error!);
        probe.Error.Should().Contain("TLS handshake with localhost:" + _localhost.Url.Port + " failed");
    }

    [Test]
    public async Task Probe_WithCaFileAsPem_IsOk()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost, caFile: _pki.CaPem), Timeouts);

        probe.Error.Should().BeNull();
    }

    [Test]
    public async Task Probe_WithCaFileAsDer_IsOk()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost, caFile: _pki.CaDer), Timeouts);

        probe.Error.Should().BeNull();
    }

    [Test]
    public async Task Probe_WithCaFileThatDoesNotSignTheCertificate_Fails()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost, caFile: _pki.OtherCaPem), Timeouts);

        probe.Ok.Should().BeFalse();
        ShouldBeOneLine(probe.Error!);
        probe.Error.Should().Contain("TLS handshake").And.Contain("not trusted");
    }

    [Test]
    public async Task Probe_WithTrustedChainButAnotherName_FailsOnTheName()
    {
        // other.test's certificate chains to the CA in the file, but the URL says localhost.
        var probe = await TargetProbe.CheckAsync(Target(_otherName, caFile: _pki.CaPem), Timeouts);

        probe.Ok.Should().BeFalse();
        ShouldBeOneLine(probe.Error!);
        probe.Error.Should().Contain("TLS handshake").And.Contain("does not match the host name 'localhost'");
    }

    [Test]
    public async Task Probe_WithMissingCaFile_NamesTheFileInOneLine()
    {
        var probe = await TargetProbe.CheckAsync(Target(_localhost, caFile: _pki.MissingFile), Timeouts);

        probe.Ok.Should().BeFalse();
        ShouldBeOneLine(probe.Error!);
        probe.Error.Should().Contain(_pki.MissingFile);
    }

    [Test]
    public async Task Connect_SendsTheUrlHostAsServerNameIndication()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(cts.Token);
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _pki.Localhost }, cts.Token);
            return tls.TargetHostName;
        }, cts.Token);

        var target = new TargetOptions { Url = new Uri($"wss://localhost:{port}/"), CaFile = _pki.CaPem };
        await using (await Connection.ConnectAsync(target, cts.Token))
        {
            (await server).Should().Be("localhost");
        }
    }

    [Test]
    public async Task Connect_WithCaFileHoldingOnlyTheRoot_AcceptsAChainThroughTheIntermediateTheServerSends()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // The server sends leaf + intermediate (offline: no store or network lookups to complete the chain).
        var context = SslStreamCertificateContext.Create(_pki.LocalhostViaIntermediate, [_pki.Intermediate], offline: true);

        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(cts.Token);
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, cts.Token);
            var buffer = new byte[64];
            while (await tls.ReadAsync(buffer, cts.Token) > 0) { } // until the client closes
        }, cts.Token);

        var target = new TargetOptions { Url = new Uri($"wss://localhost:{port}/"), CaFile = _pki.CaPem };
        await using (await Connection.ConnectAsync(target, cts.Token))
        {
        }
        await server;
    }

    [Test]
    public async Task Connect_CancelledDuringTlsHandshake_ReleasesTheConnection()
    {
        // A server that accepts TCP and never answers the ClientHello: the client gives up, and must close its socket
        // rather than leave it to the finalizer.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accepting = listener.AcceptSocketAsync(deadline.Token);

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var connect = () => Connection.ConnectAsync(new TargetOptions { Url = new Uri($"wss://127.0.0.1:{port}/"), Insecure = true }, giveUp.Token);
        await connect.Should().ThrowAsync<OperationCanceledException>();

        using var accepted = await accepting;
        var buffer = new byte[4096];
        int read;
        do
        {
            try
            {
                read = await accepted.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                read = 0;
            }
        } while (read > 0); // the ClientHello, then the end of the connection
    }

    [Test]
    public async Task Run_FramingCategoryOverTls_EveryCasePasses()
    {
        var cases = Catalogue.All.Where(c => c.Id.StartsWith("1.", StringComparison.Ordinal)).ToList();
        cases.Should().NotBeEmpty();

        var result = await TargetRunner.RunAsync(Target(_localhost, insecure: true), cases, new RunOptions());

        result.Cases.Should().HaveCount(cases.Count);
        result.Target.ServerHeader.Should().Be(EchoServer.ServerHeader);
        foreach (var r in result.Cases)
            (r.Behavior, r.BehaviorClose).Should().Be((Behavior.Ok, CloseBehavior.Ok), CatalogueRuns.Explain(r));
    }

    [Test]
    public async Task Cli_Insecure_RunsAndExitsOk()
    {
        using var output = new TempDirectory();
        var outcome = await CliRunner.RunAsync("run", _localhost.Url.ToString(), "--insecure", "--cases", "1.1.*", "--out", output.Path);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stderr.Should().BeEmpty();
        outcome.Stdout.Should().Contain($"against {_localhost.Url}");
    }

    [Test]
    public async Task Cli_WithoutTrust_ExitsUnreachableWithOneLineNamingTheTlsProblem()
    {
        using var output = new TempDirectory();
        var outcome = await CliRunner.RunAsync("run", _localhost.Url.ToString(), "--cases", "1.1.*", "--out", output.Path);

        outcome.ExitCode.Should().Be(ExitCodes.Unreachable, outcome.Stderr);
        outcome.StderrLines.Should().ContainSingle().Which.Should()
            .StartWith($"wsconform: cannot test {_localhost.Url}: TLS handshake with localhost:{_localhost.Url.Port} failed")
            .And.Contain("certificate");
        Directory.Exists(output.Path).Should().BeFalse("nothing ran, so no report is written");
    }

    [Test]
    public async Task Cli_WithCaPem_RunsAndExitsOk()
    {
        using var output = new TempDirectory();
        var outcome = await CliRunner.RunAsync("run", _localhost.Url.ToString(), "--ca", _pki.CaPem, "--cases", "1.1.*", "--out", output.Path);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stderr.Should().BeEmpty();
    }

    private static TargetOptions Target(EchoServer server, bool insecure = false, string? caFile = null) =>
        new() { Url = server.Url, Insecure = insecure, CaFile = caFile };

    private static void ShouldBeOneLine(string error)
    {
        error.Should().NotContainAny("\n", "\r");
        error.Should().NotContain(" at Wsconform.").And.NotContain(" at System.");
    }

    /// <summary>A path for <c>--out</c>, deleted afterwards.</summary>
    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsconform-tls-out-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
