using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild login [-u USER] [-p PW | --password-stdin] [SERVER]</c>: checks the credentials against the
/// registry, then stores them as docker does (the configured credential helper, else config.json auths).
/// The password is never printed; with no flags, stored credentials are tried first.
/// </summary>
internal sealed class LoginCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var server = new Argument<string?>("SERVER") { Description = "The registry (default docker.io)", Arity = ArgumentArity.ZeroOrOne };
        var username = new Option<string>("--username", "-u") { Description = "Username" };
        var password = new Option<string>("--password", "-p") { Description = "Password or Personal Access Token (PAT)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Take the Password or Personal Access Token (PAT) from stdin" };
        var command = new Command("login", "Authenticate to a registry") { server, username, password, passwordStdin };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var registry = parse.GetValue(server) is { Length: > 0 } s ? RegistryHosts.Normalize(s) : ImageReference.DockerHub;
            var user = parse.GetValue(username);
            var secret = parse.GetValue(password);
            var fromStdin = parse.GetValue(passwordStdin);
            if (secret is not null && fromStdin)
            {
                throw new UsageException("--password and --password-stdin are mutually exclusive");
            }

            if (fromStdin)
            {
                if (user is null)
                {
                    throw new UsageException("Must provide --username with --password-stdin");
                }

                using var reader = new StreamReader(host.OpenStandardInput());
                secret = (await reader.ReadToEndAsync(cancellationToken)).TrimEnd('\n', '\r');
            }
            else if (secret is not null)
            {
                await context.Error.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }

            var store = context.Credentials;
            if (user is null && secret is null && await store.GetAsync(registry, cancellationToken) is { } existing)
            {
                using var existingClient = context.CreateRegistryClient(new FixedCredentialProvider(registry, existing));
                try
                {
                    await existingClient.PingAsync(registry, cancellationToken);
                    await context.Output.WriteLineAsync("Login Succeeded");
                    return CommandLineApp.Success;
                }
                catch (RegistryAuthenticationException)
                {
                    // Stale credentials: ask for new ones, as docker does.
                }
            }

            user ??= Prompt(context, "Username: ", echo: true);
            secret ??= Prompt(context, "Password: ", echo: false);
            if (user.Length == 0 || secret.Length == 0)
            {
                throw new UsageException(user.Length == 0 ? "Username is required" : "Password is required");
            }

            var credential = new RegistryCredential(user, secret);
            using (var client = context.CreateRegistryClient(new FixedCredentialProvider(registry, credential)))
            {
                await client.PingAsync(registry, cancellationToken);
            }

            await store.StoreAsync(registry, credential, cancellationToken);
            if (!await UsesHelperAsync(store.ConfigPath, cancellationToken))
            {
                await context.Error.WriteLineAsync($"WARNING! Your credentials are stored unencrypted in '{store.ConfigPath}'.");
                await context.Error.WriteLineAsync("Configure a credential helper to remove this warning. See");
                await context.Error.WriteLineAsync("https://docs.docker.com/go/credential-store/");
            }

            await context.Output.WriteLineAsync("Login Succeeded");
            return CommandLineApp.Success;
        });
        return command;
    }

    private string Prompt(ImageCommandContext context, string label, bool echo)
    {
        if (!host.IsInputTerminal)
        {
            throw new UsageException("Cannot perform an interactive login from a non TTY device");
        }

        context.Output.Write(label);
        context.Output.Flush();
        if (echo)
        {
            return Console.ReadLine()?.Trim() ?? "";
        }

        var typed = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        context.Output.WriteLine();
        return typed.ToString();
    }

    private static async Task<bool> UsesHelperAsync(string configPath, CancellationToken cancellationToken)
    {
        try
        {
            var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath, cancellationToken)) as JsonObject;
            return config?["credsStore"] is JsonValue || config?["credHelpers"] is JsonObject { Count: > 0 };
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
