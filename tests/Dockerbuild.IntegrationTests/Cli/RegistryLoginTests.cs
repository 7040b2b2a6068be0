using System.Text;
using System.Text.Json.Nodes;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>login, logout and what they leave behind, against a real htpasswd registry.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RegistryLoginTests
{
    [Fact]
    public async Task WrongPasswordIsOneClearErrorThatNeverShowsThePassword()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd }, TestContext.Current.CancellationToken);
        using var cli = new DockerbuildProcess();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");

        var viaFlag = await cli.RunAsync("login", "-u", registry.Username, "-p", wrong, registry.Host);
        Assert.Equal(1, viaFlag.ExitCode);
        var lines = viaFlag.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("WARNING! Using --password via the CLI is insecure. Use --password-stdin.", lines[0]);
        var error = Assert.Single(lines.Skip(1));
        Assert.StartsWith("Error: ", error);
        Assert.Contains(registry.Host, error);
        Assert.DoesNotContain(wrong, viaFlag.Out + viaFlag.Err);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{wrong}")), viaFlag.Out + viaFlag.Err);

        var viaStdin = await cli.RunAsync(Encoding.UTF8.GetBytes(wrong), "--debug", "login", "-u", registry.Username, "--password-stdin", registry.Host);
        Assert.Equal(1, viaStdin.ExitCode);
        Assert.Contains("DEBU ", viaStdin.Err);
        Assert.DoesNotContain(wrong, viaStdin.Out + viaStdin.Err);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{wrong}")), viaStdin.Out + viaStdin.Err);
        Assert.False(File.Exists(cli.ConfigJson), "a refused login must store nothing");
    }

    [Fact]
    public async Task LoginStoresThroughTheConfiguredCredentialHelperAndLogoutErasesIt()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd }, TestContext.Current.CancellationToken);
        using var cli = new DockerbuildProcess();
        var helpers = Path.Combine(cli.Home, "helpers");
        var vault = Path.Combine(cli.Home, "vault");
        Directory.CreateDirectory(helpers);
        Directory.CreateDirectory(vault);

        // A docker-credential helper speaking the protocol (get/store/erase on stdin) into a folder.
        var helper = Path.Combine(helpers, "docker-credential-testvault");
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            set -e
            input=$(cat)
            case "$1" in
              store) server=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p'); printf '%s' "$input" > "{{vault}}/$(printf '%s' "$server" | tr ':/' '__')" ;;
              get) f="{{vault}}/$(printf '%s' "$input" | tr ':/' '__')"; if [ -f "$f" ]; then sed 's/"ServerURL":"[^"]*",//' "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              erase) rm -f "{{vault}}/$(printf '%s' "$input" | tr ':/' '__')" ;;
            esac
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(cli.ConfigJson, """{"credsStore":"testvault"}""", TestContext.Current.CancellationToken);
        cli.Path = helpers + ":" + Environment.GetEnvironmentVariable("PATH");

        var login = (await cli.RunAsync(Encoding.UTF8.GetBytes(registry.Password), "login", "-u", registry.Username, "--password-stdin", registry.Host)).Succeeded();
        Assert.Equal(["Login Succeeded"], login.Lines);
        Assert.DoesNotContain("unencrypted", login.Err);
        var config = await File.ReadAllTextAsync(cli.ConfigJson, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(registry.Password, config);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")), config);
        var stored = Assert.Single(Directory.GetFiles(vault));
        Assert.Contains(registry.Password, await File.ReadAllTextAsync(stored, TestContext.Current.CancellationToken));

        // The stored credentials work: a login without flags reuses them, and the catalog needs them.
        Assert.Equal(["Login Succeeded"], (await cli.RunAsync("login", registry.Host)).Succeeded().Lines);
        (await cli.RunAsync("search", registry.Host + "/anything")).Succeeded();

        Assert.Equal([$"Removing login credentials for {registry.Host}"], (await cli.RunAsync("logout", registry.Host)).Succeeded().Lines);
        Assert.Empty(Directory.GetFiles(vault));
        Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(cli.ConfigJson, TestContext.Current.CancellationToken))!["auths"]?[registry.Host]);
        Assert.NotEqual(0, (await cli.RunAsync("search", registry.Host + "/anything")).ExitCode);
    }

    [Fact]
    public async Task BearerTokenRegistryAcceptsTheLoginAndTheDebugTraceHidesEverySecret()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Token }, cancellationToken);
        using var cli = new DockerbuildProcess();
        var repository = $"{registry.Host}/token/app";
        (await cli.RunAsync("import", await RootfsTarball.WriteAsync(cli.Home), repository + ":1")).Succeeded();
        (await cli.RunAsync(Encoding.UTF8.GetBytes(registry.Password), "login", "-u", registry.Username, "--password-stdin", registry.Host)).Succeeded();

        var push = (await cli.RunAsync("--debug", "push", repository + ":1")).Succeeded();
        var pull = (await cli.RunAsync("--debug", "pull", repository + ":1")).Succeeded();
        var trace = push.Err + pull.Err;
        Assert.Contains("DEBU ", trace);
        Assert.Contains("Bearer ***", trace);
        Assert.DoesNotContain(registry.Password, trace + push.Out + pull.Out);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")), trace);
        Assert.Contains($"Status: Image is up to date for {repository}:1", pull.Lines);
    }
}
