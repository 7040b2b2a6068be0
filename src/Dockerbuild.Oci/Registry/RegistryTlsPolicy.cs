using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Which certificates one registry host may present: the system's roots, plus docker's
/// <c>certs.d/&lt;host&gt;/*.crt</c> and the configured CA files; none checked for insecure registries.
/// Remembers whether the server spoke TLS at all, so a loopback registry falls back to plain HTTP only
/// when it really serves plain HTTP, never when its certificate was refused.
/// </summary>
internal sealed class RegistryTlsPolicy : IDisposable
{
    private readonly X509Certificate2Collection roots = [];
    private readonly bool insecure;
    private int certificateSeen;
    private string? rejection;

    public RegistryTlsPolicy(string host, RegistryClientOptions options)
    {
        insecure = options.IsInsecure(host);
        foreach (var file in options.CaCertificateFiles)
        {
            roots.ImportFromPemFile(file);
        }

        if (options.CertificatesDirectory is { } certsD && Directory.Exists(Path.Combine(certsD, host)))
        {
            var folder = Path.Combine(certsD, host);
            foreach (var file in Directory.EnumerateFiles(folder, "*.crt").Order(StringComparer.Ordinal))
            {
                roots.ImportFromPemFile(file);
            }

            // Docker's client certificate convention: name.cert with name.key beside it.
            foreach (var cert in Directory.EnumerateFiles(folder, "*.cert").Order(StringComparer.Ordinal))
            {
                var key = Path.ChangeExtension(cert, ".key");
                if (File.Exists(key))
                {
                    ClientCertificates.Add(X509Certificate2.CreateFromPemFile(cert, key));
                }
            }
        }
    }

    public X509CertificateCollection ClientCertificates { get; } = [];

    public bool CertificateSeen => Volatile.Read(ref certificateSeen) != 0;

    /// <summary>Why the last certificate was refused, or null.</summary>
    public string? Rejection => Volatile.Read(ref rejection);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Interlocked.Exchange(ref certificateSeen, 1);
        if (errors == SslPolicyErrors.None || insecure)
        {
            return true;
        }

        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && roots.Count > 0 && certificate is not null)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            if (custom.Build(leaf))
            {
                return true;
            }
        }

        Volatile.Write(ref rejection, errors switch
        {
            SslPolicyErrors.RemoteCertificateNameMismatch => "the certificate does not name this host",
            SslPolicyErrors.RemoteCertificateNotAvailable => "no certificate was presented",
            _ => "the certificate is not signed by a trusted CA",
        });
        return false;
    }

    public void Dispose()
    {
        foreach (var certificate in roots)
        {
            certificate.Dispose();
        }

        foreach (var certificate in ClientCertificates)
        {
            certificate.Dispose();
        }
    }
}
