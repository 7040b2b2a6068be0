using System.Diagnostics;
using System.Globalization;
using System.Net.Http;

namespace Dockerbuild.Testing.Registry;

/// <summary>
/// The real distribution registry (Debian's <c>docker-registry</c>) on a free 127.0.0.1 port with
/// throw-away filesystem storage, in one of the setups of <see cref="RegistryServerOptions"/>. Disposing
/// kills it and deletes its storage.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private const int LogLinesKept = 200;

    private readonly Process process;
    private readonly Queue<string> log;
    private readonly TokenServer? tokenServer;
    private readonly TestCertificateAuthority? authority;

    private RegistryServer(Process process, Queue<string> log, string root, int port, RegistryServerOptions options,
        TokenServer? tokenServer, TestCertificateAuthority? authority)
    {
        this.process = process;
        this.log = log;
        this.tokenServer = tokenServer;
        this.authority = authority;
        Root = root;
        Port = port;
        Options = options;
    }

    public RegistryServerOptions Options { get; }

    public int Port { get; }

    /// <summary>host:port, as image references name the registry.</summary>
    public string Host => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public Uri BaseUri => new($"{(Options.Tls ? "https" : "http")}://{Host}/");

    /// <summary>The temporary folder holding config, storage and certificates.</summary>
    public string Root { get; }

    /// <summary>A docker-style certificates folder: <c>&lt;CertsDirectory&gt;/&lt;host:port&gt;/ca.crt</c> (TLS setups).</summary>
    public string CertsDirectory => Path.Combine(Root, "certs.d");

    /// <summary>The CA certificate (PEM file) that signed the server certificate, for TLS setups.</summary>
    public string? CaCertificatePath => Options.Tls ? Path.Combine(CertsDirectory, Host, "ca.crt") : null;

    public string? CaCertificatePem => authority?.CertificatePem;

    public TokenServer? TokenServer => tokenServer;

    public string Username => Options.Username;

    public string Password => Options.Password;

    public string LogTail()
    {
        lock (log)
        {
            return string.Join('\n', log);
        }
    }

    public static async Task<RegistryServer> StartAsync(RegistryServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RegistryServerOptions();
        var executable = Require.Executable("docker-registry", "docker-registry");
        var root = Directory.CreateTempSubdirectory("dockerbuild-registry-").FullName;
        TokenServer? tokens = null;
        TestCertificateAuthority? authority = null;
        try
        {
            var auth = await WriteAuthConfigAsync(root, options, t => tokens = t, cancellationToken).ConfigureAwait(false);
            authority = options.Tls ? TestCertificateAuthority.Create("dockerbuild test CA") : null;
            for (var attempt = 0; ; attempt++)
            {
                var port = LoopbackPort.Next();
                var tls = authority is null ? "" : WriteTls(root, port, authority);
                var config = Path.Combine(root, "config.yml");
                await File.WriteAllTextAsync(config, Config(root, port, tls, auth), cancellationToken).ConfigureAwait(false);
                var log = new Queue<string>();
                var process = Launch(executable, config, log);
                var server = new RegistryServer(process, log, root, port, options, tokens, authority);
                if (await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false))
                {
                    return server;
                }

                await server.StopProcessAsync().ConfigureAwait(false);
                if (attempt >= 3)
                {
                    throw new InvalidOperationException($"docker-registry did not start ({options}):\n{server.LogTail()}");
                }
            }
        }
        catch
        {
            if (tokens is not null)
            {
                await tokens.DisposeAsync().ConfigureAwait(false);
            }

            authority?.Dispose();
            TryDelete(root);
            throw;
        }
    }

    private static async Task<string> WriteAuthConfigAsync(string root, RegistryServerOptions options, Action<TokenServer> started, CancellationToken cancellationToken)
    {
        switch (options.Auth)
        {
            case RegistryAuthMode.Htpasswd:
                var htpasswd = Path.Combine(root, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, await HtpasswdLineAsync(options.Username, options.Password, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                return $"""
                    auth:
                      htpasswd:
                        realm: dockerbuild-test
                        path: '{htpasswd}'
                    """;
            case RegistryAuthMode.Token:
                var tokens = TokenServer.Start(options.Username, options.Password, options.AnonymousPull);
                started(tokens);
                var bundle = Path.Combine(root, "token-signer.pem");
                await File.WriteAllTextAsync(bundle, tokens.SigningCertificatePem, cancellationToken).ConfigureAwait(false);
                return $"""
                    auth:
                      token:
                        realm: '{tokens.Realm}'
                        service: {TokenServer.Service}
                        issuer: {TokenServer.Issuer}
                        rootcertbundle: '{bundle}'
                    """;
            default:
                return "";
        }
    }

    private static async Task<string> HtpasswdLineAsync(string username, string password, CancellationToken cancellationToken)
    {
        var htpasswd = Require.Executable("htpasswd", "apache2-utils");
        var start = new ProcessStartInfo(htpasswd) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-Bbn", username, password })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("htpasswd failed: " + await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        return output.Trim() + "\n";
    }

    private static string WriteTls(string root, int port, TestCertificateAuthority authority)
    {
        var (certificate, key) = authority.IssueServerCertificate();
        var certPath = Path.Combine(root, "server.crt");
        var keyPath = Path.Combine(root, "server.key");
        File.WriteAllText(certPath, certificate);
        File.WriteAllText(keyPath, key);
        var caFolder = Path.Combine(root, "certs.d", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(caFolder);
        File.WriteAllText(Path.Combine(caFolder, "ca.crt"), authority.CertificatePem);
        return $"""
              tls:
                certificate: '{certPath}'
                key: '{keyPath}'
            """;
    }

    private static string Config(string root, int port, string tls, string auth) => $"""
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: '{Path.Combine(root, "storage")}'
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}
          secret: {Guid.NewGuid():N}
        {tls}
        {auth}
        """;

    private static Process Launch(string executable, string config, Queue<string> log)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.Enqueue(e.Data);
                while (log.Count > LogLinesKept)
                {
                    log.Dequeue();
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls /v2/ until any HTTP answer (401 included); false when the process died first.</summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            // Readiness only: whether the client trusts the CA is what the tests themselves check.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "v2/"), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        throw new TimeoutException($"docker-registry did not answer on {BaseUri}:\n{LogTail()}");
    }

    private async Task StopProcessAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync().ConfigureAwait(false);
        if (tokenServer is not null)
        {
            await tokenServer.DisposeAsync().ConfigureAwait(false);
        }

        authority?.Dispose();
        TryDelete(Root);
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
