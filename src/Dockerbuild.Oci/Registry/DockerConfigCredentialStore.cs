using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Docker's credential configuration, <c>$DOCKER_CONFIG/config.json</c> (default <c>~/.docker/config.json</c>):
/// <c>credHelpers</c> per registry, then <c>credsStore</c>, then <c>auths</c> (base64 <c>auth</c>, or
/// <c>username</c>/<c>password</c>, and <c>identitytoken</c>). Writes go where docker would put them: to
/// the configured helper (<c>store</c>/<c>erase</c>), else base64 into <c>auths</c>; other settings in the
/// file are kept.
/// </summary>
public sealed class DockerConfigCredentialStore(string configPath, Func<string, string?>? environment = null) : IRegistryCredentialProvider
{
    private readonly Func<string, string?> environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>What credential helpers put as the username when the secret is an identity token.</summary>
    private const string TokenUsername = "<token>";

    public string ConfigPath { get; } = configPath;

    /// <summary>The config file docker itself would use, given the environment (DOCKER_CONFIG, HOME).</summary>
    public static DockerConfigCredentialStore FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var folder = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return new DockerConfigCredentialStore(Path.Combine(folder, "config.json"), environment);
    }

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var config = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var key = RegistryHosts.ConfigKey(registry);
        if (HelperFor(config, registry) is { } helper)
        {
            var (exitCode, output) = await CredentialHelper.RunAsync(helper, "get", key, registry, environment, cancellationToken).ConfigureAwait(false);
            if (exitCode == 0)
            {
                return ParseHelperOutput(helper, registry, output);
            }

            if (!output.Contains(CredentialHelper.NotFoundMessage, StringComparison.OrdinalIgnoreCase))
            {
                throw new CredentialHelperException(helper, registry, output.Length > 0 ? output : $"exit code {exitCode}");
            }
        }

        return FromAuths(config, registry);
    }

    /// <summary>Saves credentials for <paramref name="registry"/> (what <c>login</c> does).</summary>
    public async Task StoreAsync(string registry, RegistryCredential credential, CancellationToken cancellationToken)
    {
        var config = await LoadAsync(cancellationToken).ConfigureAwait(false) ?? new JsonObject();
        var key = RegistryHosts.ConfigKey(registry);
        if (HelperFor(config, registry) is { } helper)
        {
            var input = new JsonObject
            {
                ["ServerURL"] = key,
                ["Username"] = credential.IdentityToken is null ? credential.Username : TokenUsername,
                ["Secret"] = credential.IdentityToken ?? credential.Password,
            }.ToJsonString();
            var (exitCode, output) = await CredentialHelper.RunAsync(helper, "store", input, registry, environment, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new CredentialHelperException(helper, registry, output.Length > 0 ? output : $"exit code {exitCode}");
            }

            // Like docker: the helper holds the secret, auths keeps an empty entry naming the registry.
            Auths(config)[key] = new JsonObject();
        }
        else
        {
            var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")) };
            if (credential.IdentityToken is not null)
            {
                entry["identitytoken"] = credential.IdentityToken;
            }

            Auths(config)[key] = entry;
        }

        await SaveAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the credentials for <paramref name="registry"/> (what <c>logout</c> does); false when there were none.</summary>
    public async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken)
    {
        var config = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            return false;
        }

        var key = RegistryHosts.ConfigKey(registry);
        var erased = false;
        if (HelperFor(config, registry) is { } helper)
        {
            var (exitCode, output) = await CredentialHelper.RunAsync(helper, "erase", key, registry, environment, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0 && !output.Contains(CredentialHelper.NotFoundMessage, StringComparison.OrdinalIgnoreCase))
            {
                throw new CredentialHelperException(helper, registry, output.Length > 0 ? output : $"exit code {exitCode}");
            }

            erased = exitCode == 0;
        }

        var auths = Auths(config);
        foreach (var name in auths.Select(p => p.Key).Where(k => RegistryHosts.ConfigKey(k) == key).ToList())
        {
            erased |= auths.Remove(name);
        }

        await SaveAsync(config, cancellationToken).ConfigureAwait(false);
        return erased;
    }

    private static string? HelperFor(JsonObject? config, string registry)
    {
        if (config?["credHelpers"] is JsonObject helpers)
        {
            var key = RegistryHosts.ConfigKey(registry);
            foreach (var (name, value) in helpers)
            {
                if (RegistryHosts.ConfigKey(name) == key && value?.GetValueKind() == JsonValueKind.String)
                {
                    return value.GetValue<string>();
                }
            }
        }

        return config?["credsStore"] is JsonValue store && store.GetValueKind() == JsonValueKind.String && store.GetValue<string>() is { Length: > 0 } name2
            ? name2
            : null;
    }

    private static RegistryCredential? ParseHelperOutput(string helper, string registry, string output)
    {
        try
        {
            var json = JsonNode.Parse(output) as JsonObject;
            var username = json?["Username"]?.GetValue<string>() ?? "";
            var secret = json?["Secret"]?.GetValue<string>() ?? "";
            return username == TokenUsername ? RegistryCredential.FromIdentityToken("", secret) : new RegistryCredential(username, secret);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // The output may hold the secret, and the parser's message quotes it: keep neither.
            throw new CredentialHelperException(helper, registry, "its answer to 'get' was not the expected JSON");
        }
    }

    private static RegistryCredential? FromAuths(JsonObject? config, string registry)
    {
        if (config?["auths"] is not JsonObject auths)
        {
            return null;
        }

        var key = RegistryHosts.ConfigKey(registry);
        foreach (var (name, value) in auths)
        {
            if (RegistryHosts.ConfigKey(name) != key || value is not JsonObject entry)
            {
                continue;
            }

            var identityToken = Text(entry, "identitytoken");
            if (Text(entry, "auth") is { Length: > 0 } auth)
            {
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                }
                catch (FormatException e)
                {
                    throw new RegistryException(registry, $"the 'auth' entry for {name} in the docker config is not valid base64", e);
                }

                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0
                    ? throw new RegistryException(registry, $"the 'auth' entry for {name} in the docker config is not base64 of user:password")
                    : new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], identityToken);
            }

            if (Text(entry, "username") is { Length: > 0 } username)
            {
                return new RegistryCredential(username, Text(entry, "password") ?? "", identityToken);
            }

            if (identityToken is not null)
            {
                return RegistryCredential.FromIdentityToken("", identityToken);
            }
        }

        return null;
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonObject Auths(JsonObject config)
    {
        if (config["auths"] is JsonObject auths)
        {
            return auths;
        }

        var created = new JsonObject();
        config["auths"] = created;
        return created;
    }

    private async Task<JsonObject?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ConfigPath))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(ConfigPath);
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw new RegistryException("", $"{ConfigPath} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new RegistryException("", $"{ConfigPath} is not valid JSON: {e.Message}", e);
        }
    }

    private async Task SaveAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(ConfigPath))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        // Temp file + rename: a crash never leaves a half-written config, and the file is private from the start.
        var temp = Path.Combine(folder, $".config.json.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temp, options))
        {
            // The node writes itself: no serializer (and no reflection, which a native AOT build cannot use) involved.
            await using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                config.WriteTo(writer);
            }
        }

        File.Move(temp, ConfigPath, overwrite: true);
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };
}
