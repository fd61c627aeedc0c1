using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsconform.Tests.Transport;

/// <summary>
/// A throw-away PKI made in memory: a CA, server certificates it signs, an unrelated CA, and the CAs written to temp
/// files as PEM and DER (what <c>--ca</c> reads). ECDSA P-256 keys, so making them costs milliseconds.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wsconform-tls-" + Guid.NewGuid().ToString("N"));

    public TestCertificates()
    {
        Directory.CreateDirectory(_directory);
        Ca = CreateCa("CN=wsconform test CA");
        OtherCa = CreateCa("CN=wsconform unrelated CA");
        Localhost = CreateServer(Ca, "localhost");
        OtherName = CreateServer(Ca, "other.test");
        Intermediate = CreateIntermediate(Ca, "CN=wsconform test intermediate CA");
        LocalhostViaIntermediate = CreateServer(Intermediate, "localhost");

        CaPem = Write("ca.pem", System.Text.Encoding.ASCII.GetBytes(Ca.ExportCertificatePem()));
        CaDer = Write("ca.der", Ca.Export(X509ContentType.Cert));
        OtherCaPem = Write("other-ca.pem", System.Text.Encoding.ASCII.GetBytes(OtherCa.ExportCertificatePem()));
        MissingFile = Path.Combine(_directory, "no-such-ca.pem");
    }

    /// <summary>The CA that signs <see cref="Localhost"/> and <see cref="OtherName"/>.</summary>
    public X509Certificate2 Ca { get; }
    /// <summary>A CA that signs nothing used here.</summary>
    public X509Certificate2 OtherCa { get; }
    /// <summary>Server certificate for <c>localhost</c> (SAN DNS), with its private key.</summary>
    public X509Certificate2 Localhost { get; }
    /// <summary>Server certificate for <c>other.test</c>, signed by the same CA, with its private key.</summary>
    public X509Certificate2 OtherName { get; }
    /// <summary>A CA signed by <see cref="Ca"/>, with its private key.</summary>
    public X509Certificate2 Intermediate { get; }
    /// <summary>Server certificate for <c>localhost</c> signed by <see cref="Intermediate"/>, with its private key.</summary>
    public X509Certificate2 LocalhostViaIntermediate { get; }

    public string CaPem { get; }
    public string CaDer { get; }
    public string OtherCaPem { get; }
    public string MissingFile { get; }

    public void Dispose()
    {
        Ca.Dispose();
        OtherCa.Dispose();
        Localhost.Dispose();
        OtherName.Dispose();
        Intermediate.Dispose();
        LocalhostViaIntermediate.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(issuer, now.AddHours(-2), now.AddDays(14), NewSerial());
        return signed.CopyWithPrivateKey(key);
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        return serial;
    }

    private static X509Certificate2 CreateServer(X509Certificate2 issuer, string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());

        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(issuer, now.AddHours(-1), now.AddDays(7), NewSerial());
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so the private key is a persisted one every TLS stack (Kestrel's included) can use.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
