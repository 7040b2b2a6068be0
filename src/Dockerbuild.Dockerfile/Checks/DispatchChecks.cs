using System.Text.RegularExpressions;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// Rules BuildKit applies while dispatching each stage, so they follow the stage's variables, working
/// directory and shell as the build would: a stage built on an earlier stage inherits them. Every stage
/// is walked, as the lint request does (not only those the target needs).
/// </summary>
internal sealed partial class DispatchChecks(
    BoundDockerfile bound,
    BuildArgScope globals,
    Func<string, IReadOnlyDictionary<string, string>?>? baseImageEnv,
    Func<string, IReadOnlyList<string>?>? baseImageShell,
    DockerIgnore? contextIgnore,
    FindingSink sink)
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // BuildKit's nonEnvArgs: read by the build itself, never expected in the environment.
    private static readonly string[] NonEnvArgs = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

    private readonly Dictionary<string, StageState> byName = new(StringComparer.OrdinalIgnoreCase);

    public void Run()
    {
        foreach (var stage in bound.Stages)
        {
            var state = Walk(stage, Enter(stage));
            if (stage.Name is { } name)
            {
                byName[name] = state;
            }
        }
    }

    private StageState Enter(Stage stage)
    {
        string baseName;
        try
        {
            baseName = globals.Lexer.ProcessWord(stage.BaseName, globals.Values).Result;
        }
        catch (ExpansionException)
        {
            baseName = stage.BaseName;
        }

        if (byName.TryGetValue(baseName, out var parent))
        {
            return parent with { Cmd = null, Entrypoint = null, Healthcheck = null };
        }

        IReadOnlyDictionary<string, string>? env = baseName == "scratch"
            ? new Dictionary<string, string>()
            : baseImageEnv?.Invoke(baseName);
        var scope = globals.EnterStage(env ?? new Dictionary<string, string>());
        if (!scope.Environment.ContainsKey("PATH"))
        {
            scope = scope.SetEnv("PATH", DefaultPath);
        }

        // BuildKit's JSONArgsRecommended looks at the image config's Shell, which a base image may set.
        var shellSet = baseName != "scratch" && baseImageShell?.Invoke(baseName) is { Count: > 0 };
        return new StageState(scope, EnvKnown: env is not null, WorkdirSet: false, ShellSet: shellSet, null, null, null);
    }

    private StageState Walk(Stage stage, StageState state)
    {
        foreach (var instruction in stage.Instructions)
        {
            state = instruction switch
            {
                EnvInstruction env => Env(env, state),
                LabelInstruction label => Label(label, state),
                ArgInstruction arg => Arg(arg, state),
                WorkdirInstruction workdir => Workdir(workdir, state),
                UserInstruction user => Words(user, state, user.User),
                StopsignalInstruction signal => Words(signal, state, signal.Signal),
                VolumeInstruction volume => Words(volume, state, [.. volume.Paths]),
                // The words BuildKit's Expand methods expand (--chmod and --from are not among them).
                CopyInstruction copy => Sources(copy, "Copy", copy.From, state, copy.Sources, copy.Chown),
                AddInstruction add => Sources(add, "Add", null, state, add.Sources, add.Chown, add.Checksum),
                ExposeInstruction expose => Expose(expose, state),
                CmdInstruction cmd => CheckJsonArgs(cmd, cmd.Command, state with { Cmd = UsedOnce(cmd, state.Cmd) }),
                EntrypointInstruction entrypoint => CheckJsonArgs(entrypoint, entrypoint.Command, state with { Entrypoint = UsedOnce(entrypoint, state.Entrypoint) }),
                HealthcheckInstruction check => state with { Healthcheck = UsedOnce(check, state.Healthcheck) },
                ShellInstruction => state with { ShellSet = true },
                _ => state,
            };
        }

        return state;
    }

    private StageState Env(EnvInstruction env, StageState state)
    {
        // Every word is expanded against the environment before the line, then all are set.
        var expanded = env.Variables.Select(v => (Key: Expand(env, state, v.Key), Value: Expand(env, state, v.Value), v.IsLegacyForm)).ToList();
        var scope = state.Scope;
        foreach (var (key, value, legacy) in expanded)
        {
            if (legacy)
            {
                sink.Report(CheckRules.LegacyKeyValueFormat, CheckRules.LegacyKeyValueFormatMessage(env.Keyword), env.Span);
            }

            CheckSecret("ENV", key, env.Span);
            scope = scope.SetEnv(key, value);
        }

        return state with { Scope = scope };
    }

    private StageState Label(LabelInstruction label, StageState state)
    {
        foreach (var pair in label.Labels)
        {
            Expand(label, state, pair.Key);
            Expand(label, state, pair.Value);
            if (pair.IsLegacyForm)
            {
                sink.Report(CheckRules.LegacyKeyValueFormat, CheckRules.LegacyKeyValueFormatMessage(label.Keyword), label.Span);
            }
        }

        return state;
    }

    private StageState Arg(ArgInstruction arg, StageState state)
    {
        var scope = state.Scope;
        foreach (var declaration in arg.Args)
        {
            CheckSecret("ARG", declaration.Name, arg.Span);
            if (declaration.DefaultValue is { } value && !globals.BuildArgs.ContainsKey(declaration.Name))
            {
                Expand(arg, state with { Scope = scope }, value);
            }

            try
            {
                scope = scope.DeclareArg(declaration.Name, declaration.DefaultValue);
            }
            catch (ExpansionException)
            {
                // The build fails on this line; the checks carry on with the name unset.
            }
        }

        return state with { Scope = scope };
    }

    private StageState Workdir(WorkdirInstruction workdir, StageState state)
    {
        var path = Expand(workdir, state, workdir.Path, out var certain);

        // Only the first WORKDIR of a stage chain matters: fixing it fixes the relative ones after it.
        // A path built from variables of an unknown base image, or a Windows drive path (a Windows base
        // image, whose platform BuildKit would know), is not judged.
        if (!state.WorkdirSet && certain && !path.StartsWith('/') && !WindowsDrivePath().IsMatch(path))
        {
            sink.Report(CheckRules.WorkdirRelativePath, CheckRules.WorkdirRelativePathMessage(path), workdir.Span);
        }

        return state with { WorkdirSet = true };
    }

    private StageState Words(Instruction instruction, StageState state, params string?[] words)
    {
        foreach (var word in words)
        {
            if (word is not null)
            {
                Expand(instruction, state, word);
            }
        }

        return state;
    }

    /// <summary>
    /// COPY/ADD words are expanded as BuildKit's Expand does; CopyIgnoredFile (experimental) then looks at each
    /// source read from the build context. As BuildKit, it stays silent when the .dockerignore has <c>!</c>
    /// exceptions, which cannot be judged without the context.
    /// </summary>
    private StageState Sources(Instruction instruction, string command, string? from, StageState state, SourcesAndDestination sources, params string?[] flags)
    {
        var paths = sources.Paths.Select(path => Expand(instruction, state, path)).ToList();
        Words(instruction, state, [sources.Destination, .. flags]);
        if (from is null && contextIgnore is { HasExceptions: false, Patterns.Count: > 0 } ignore && sink.IsEnabled(CheckRules.CopyIgnoredFile))
        {
            foreach (var path in paths.Where(p => !p.Contains("://", StringComparison.Ordinal) && !p.StartsWith("git@", StringComparison.Ordinal)))
            {
                var cleaned = GoPath.Clean(path);
                if (ignore.IsExcluded(cleaned))
                {
                    sink.Report(CheckRules.CopyIgnoredFile, CheckRules.CopyIgnoredFileMessage(command, cleaned), instruction.Span);
                }
            }
        }

        return state;
    }

    private StageState Expose(ExposeInstruction expose, StageState state)
    {
        foreach (var word in expose.Ports)
        {
            IReadOnlyList<string> ports;
            try
            {
                ports = globals.Lexer.ProcessWords(word, state.Scope.Environment);
            }
            catch (ExpansionException)
            {
                ports = [word];
            }

            foreach (var port in ports)
            {
                // [ip:][hostPort:]containerPort[/proto]: the protocol follows the last colon's part.
                var parts = port.Split(':');
                var container = parts[^1];
                var slash = container.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && container[(slash + 1)..].ToLowerInvariant() != container[(slash + 1)..])
                {
                    sink.Report(CheckRules.ExposeProtoCasing, CheckRules.ExposeProtoCasingMessage(port), expose.Span);
                }

                // As BuildKit's splitParts: the part before the container port is the host port, anything before that the IP.
                var hostPort = parts.Length >= 2 ? parts[^2] : "";
                var ip = parts.Length >= 3 ? string.Join(':', parts[..^2]) : "";
                if (ip.Length > 0 || hostPort.Length > 0)
                {
                    sink.Report(CheckRules.ExposeInvalidFormat, CheckRules.ExposeInvalidFormatMessage(port), expose.Span);
                }
            }
        }

        return state;
    }

    /// <summary>MultipleInstructionsDisallowed, reported at the earlier instruction: that is the one ignored.</summary>
    private Instruction UsedOnce(Instruction current, Instruction? previous)
    {
        if (previous is not null)
        {
            sink.Report(CheckRules.MultipleInstructionsDisallowed, CheckRules.MultipleInstructionsDisallowedMessage(current.Keyword), previous.Span);
        }

        return current;
    }

    /// <summary>JSONArgsRecommended: a shell-form CMD/ENTRYPOINT under the default shell does not pass signals on.</summary>
    private StageState CheckJsonArgs(Instruction instruction, CommandLine command, StageState state)
    {
        if (!command.IsExecForm && !state.ShellSet)
        {
            sink.Report(CheckRules.JSONArgsRecommended, CheckRules.JSONArgsRecommendedMessage(instruction.Keyword), instruction.Span);
        }

        return state;
    }

    private void CheckSecret(string instruction, string key, SourceSpan span)
    {
        if (SecretToken().IsMatch(key) && !AllowedToken().IsMatch(key))
        {
            sink.Report(CheckRules.SecretsUsedInArgOrEnv, CheckRules.SecretsUsedInArgOrEnvMessage(instruction, key), span);
        }
    }

    private string Expand(Instruction instruction, StageState state, string word) => Expand(instruction, state, word, out _);

    /// <summary>Expands one word as the build would, reporting UndefinedVar for names nothing defines.</summary>
    /// <param name="certain">False when the word used variables an unknown base image may define.</param>
    private string Expand(Instruction instruction, StageState state, string word, out bool certain)
    {
        ExpansionResult result;
        certain = false;
        try
        {
            result = globals.Lexer.ProcessWord(word, state.Scope.Environment);
        }
        catch (ExpansionException)
        {
            return word;
        }

        var undefined = result.Unmatched.Where(n => !state.Scope.IsDeclaredArg(n) && !NonEnvArgs.Contains(n)).Order(StringComparer.Ordinal).ToList();
        certain = state.EnvKnown || undefined.Count == 0;
        if (state.EnvKnown && sink.IsEnabled(CheckRules.UndefinedVar))
        {
            foreach (var name in undefined)
            {
                var suggestion = Suggest.Closest(name, state.Scope.Environment.Keys, caseSensitive: true);
                sink.Report(CheckRules.UndefinedVar, CheckRules.UndefinedVarMessage(name, suggestion), instruction.Span);
            }
        }

        return result.Result;
    }

    [GeneratedRegex(@"^[A-Za-z]:[\\/]")]
    private static partial Regex WindowsDrivePath();

    // BuildKit's secret heuristics: a secret-like word as the whole key or its first/last '_' part ...
    [GeneratedRegex("(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")]
    private static partial Regex SecretToken();

    // ... unless the key also says it is public, a file or a version.
    [GeneratedRegex("(?i)(?:_|^)(?:public|file|version)(?:_|$)")]
    private static partial Regex AllowedToken();

    /// <summary>What a stage carries from line to line (and hands to stages built on it).</summary>
    /// <param name="EnvKnown">False when the base image's environment is unknown, so UndefinedVar stands aside.</param>
    private sealed record StageState(
        StageArgScope Scope,
        bool EnvKnown,
        bool WorkdirSet,
        bool ShellSet,
        Instruction? Cmd,
        Instruction? Entrypoint,
        Instruction? Healthcheck);
}
