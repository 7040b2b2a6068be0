using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Dockerbuild.Testing.Registry;

/// <summary>
/// A minimal token service for the distribution registry's <c>auth: token</c> mode. It checks Basic
/// credentials and issues ES256 JWTs whose <c>x5c</c> header carries the signing certificate, which the
/// registry verifies against its <c>rootcertbundle</c> (registry 2.8 wants a string <c>aud</c> equal to
/// its service, a trusted <c>iss</c>, and <c>access</c> entries of type/name/actions).
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "dockerbuild-test-registry";
    public const string Issuer = "dockerbuild-test-issuer";

    private readonly HttpListener listener;
    private readonly X509Certificate2 certificate;
    private readonly ECDsa key;
    private readonly string username;
    private readonly string password;
    private readonly bool anonymousPull;
    private readonly Task loop;
    private int issued;
    private int refused;

    private TokenServer(HttpListener listener, int port, string username, string password, bool anonymousPull)
    {
        this.listener = listener;
        this.username = username;
        this.password = password;
        this.anonymousPull = anonymousPull;
        (certificate, key) = TestCertificateAuthority.CreateSelfSigned("dockerbuild test token signer");
        Realm = new Uri($"http://127.0.0.1:{port}/token");
        loop = Task.Run(ServeAsync);
    }

    public Uri Realm { get; }

    /// <summary>The refresh token this server accepts in the OAuth2 refresh_token grant (docker's identity token).</summary>
    public string IdentityToken { get; } = "identity-" + Guid.NewGuid().ToString("N");

    /// <summary>The certificate the registry must trust (its rootcertbundle), PEM.</summary>
    public string SigningCertificatePem => certificate.ExportCertificatePem();

    public int TokensIssued => Volatile.Read(ref issued);

    public int RequestsRefused => Volatile.Read(ref refused);

    public static TokenServer Start(string username, string password, bool anonymousPull = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new TokenServer(listener, port, username, password, anonymousPull);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        var request = context.Request;
        var form = request.HttpMethod == "POST" ? ReadForm(request) : null;
        var authorized = form is null ? CheckCredentials(request.Headers["Authorization"]) : CheckGrant(form);
        if (authorized is null)
        {
            Interlocked.Increment(ref refused);
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"dockerbuild-test-token\"");
            return;
        }

        var scopes = form is null ? request.QueryString.GetValues("scope") ?? [] : [form.GetValueOrDefault("scope") ?? ""];
        var access = new JsonArray();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            // type:name:actions, where the name itself may hold a colon (host:port/...) — split from both ends.
            var first = scope.IndexOf(':', StringComparison.Ordinal);
            var last = scope.LastIndexOf(':');
            if (first < 0 || last <= first)
            {
                continue;
            }

            var actions = scope[(last + 1)..].Split(',')
                .Where(a => authorized.Value || a == "pull")
                .Where(a => authorized.Value || anonymousPull)
                .Select(a => (JsonNode)a!).ToArray();
            access.Add(new JsonObject
            {
                ["type"] = scope[..first],
                ["name"] = scope[(first + 1)..last],
                ["actions"] = new JsonArray(actions),
            });
        }

        var token = Sign(request.QueryString["account"] ?? (authorized.Value ? username : ""), access);
        Interlocked.Increment(ref issued);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["token"] = token,
            ["access_token"] = token,
            ["expires_in"] = 300,
            ["issued_at"] = DateTimeOffset.UtcNow.ToString("O"),
        }.ToJsonString());
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    /// <summary>The OAuth2 form docker posts with an identity token (grant_type=refresh_token) or a password.</summary>
    private static Dictionary<string, string> ReadForm(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return reader.ReadToEnd().Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
    }

    private bool? CheckGrant(Dictionary<string, string> form) => form.GetValueOrDefault("grant_type") switch
    {
        "refresh_token" => form.GetValueOrDefault("refresh_token") == IdentityToken ? true : null,
        "password" => form.GetValueOrDefault("username") == username && form.GetValueOrDefault("password") == password ? true : null,
        _ => null,
    };

    /// <summary>true: valid credentials; false: anonymous; null: wrong credentials.</summary>
    private bool? CheckCredentials(string? authorization)
    {
        if (authorization is null)
        {
            return false;
        }

        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        return decoded == $"{username}:{password}" ? true : null;
    }

    private string Sign(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop.ConfigureAwait(false);
        certificate.Dispose();
        key.Dispose();
    }
}
