using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Oci;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>import --change</c>: Dockerfile instructions applied to an image config, as docker's commit and
/// import do. Each change is parsed and bound by the Dockerfile front end; words are expanded with the
/// config's environment as the builder would (CMD and ENTRYPOINT are not expanded).
/// </summary>
internal static class ConfigChanges
{
    private static readonly string[] Allowed = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR"];

    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        var cmdSet = false;
        foreach (var change in changes)
        {
            config = ApplyOne(config, Bind(change), ref cmdSet);
        }

        return config;
    }

    private static Instruction Bind(string change)
    {
        IReadOnlyList<Instruction> bound;
        try
        {
            bound = BoundDockerfile.Load("FROM scratch\n" + change, "--change").Stages[0].Instructions;
        }
        catch (DockerfileException e)
        {
            throw new UsageException($"invalid --change \"{change}\": {e.Reason}");
        }

        if (bound.Count != 1)
        {
            throw new UsageException($"invalid --change \"{change}\": expected one instruction, found {bound.Count}");
        }

        return Allowed.Contains(bound[0].Name)
            ? bound[0]
            : throw new UsageException($"{bound[0].Name} is not a valid change command (valid: {string.Join(", ", Allowed)})");
    }

    private static ContainerConfig ApplyOne(ContainerConfig config, Instruction instruction, ref bool cmdSet)
    {
        var env = Environment(config);
        var lexer = new ShellLexer();
        string Word(string word) => lexer.ProcessWord(word, env).Result;

        switch (instruction)
        {
            case CmdInstruction cmd:
                cmdSet = true;
                return config with { Cmd = Command(config, cmd.Command) };
            case EntrypointInstruction entrypoint:
                // As docker: a new ENTRYPOINT drops the inherited CMD unless a CMD was set alongside.
                return config with { Entrypoint = Command(config, entrypoint.Command), Cmd = cmdSet ? config.Cmd : null };
            case EnvInstruction envInstruction:
                var variables = (config.Env ?? []).ToList();
                foreach (var pair in envInstruction.Variables)
                {
                    // Every pair sees the environment from before the instruction, as in a Dockerfile.
                    var key = Word(pair.Key);
                    var value = Word(pair.Value);
                    variables.RemoveAll(v => v.StartsWith(key + "=", StringComparison.Ordinal) || v == key);
                    variables.Add($"{key}={value}");
                }

                return config with { Env = variables };
            case LabelInstruction label:
                var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var pair in label.Labels)
                {
                    labels[Word(pair.Key)] = Word(pair.Value);
                }

                return config with { Labels = labels };
            case ExposeInstruction expose:
                var ports = (config.ExposedPorts ?? []).ToList();
                foreach (var word in expose.Ports.SelectMany(p => lexer.ProcessWords(p, env)))
                {
                    ports.AddRange(Ports(word).Where(p => !ports.Contains(p)));
                }

                return config with { ExposedPorts = ports };
            case OnbuildInstruction onbuild:
                return config with { OnBuild = [.. config.OnBuild ?? [], onbuild.Expression] };
            case UserInstruction user:
                return config with { User = Word(user.User) };
            case VolumeInstruction volume:
                var volumes = (config.Volumes ?? []).ToList();
                foreach (var path in volume.Paths.Select(Word).Where(p => !volumes.Contains(p)))
                {
                    volumes.Add(path.Length == 0 ? throw new UsageException("VOLUME specified can not be an empty string") : path);
                }

                return config with { Volumes = volumes };
            case WorkdirInstruction workdir:
                var directory = Word(workdir.Path);
                return config with
                {
                    WorkingDir = directory.StartsWith('/') ? directory : "/" + Path.Join((config.WorkingDir ?? "/").Trim('/'), directory).TrimStart('/'),
                };
            default:
                throw new UsageException($"{instruction.Name} is not a valid change command");
        }
    }

    private static IReadOnlyList<string> Command(ContainerConfig config, CommandLine command) =>
        command.IsExecForm ? command.Arguments : [.. config.Shell ?? ["/bin/sh", "-c"], command.ShellText ?? ""];

    private static Dictionary<string, string> Environment(ContainerConfig config)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in config.Env ?? [])
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            env[eq < 0 ? entry : entry[..eq]] = eq < 0 ? "" : entry[(eq + 1)..];
        }

        return env;
    }

    // "80", "80/udp", "8000-8002/tcp" as docker's nat.ParsePortSpecs expands them.
    private static IEnumerable<string> Ports(string spec)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var (range, protocol) = slash < 0 ? (spec, "tcp") : (spec[..slash], spec[(slash + 1)..].ToLowerInvariant());
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (!int.TryParse(dash < 0 ? range : range[..dash], out var first) || !int.TryParse(dash < 0 ? range : range[(dash + 1)..], out var last)
            || first is < 0 or > 65535 || last < first || last > 65535 || protocol is not ("tcp" or "udp" or "sctp"))
        {
            throw new UsageException($"invalid port specification in EXPOSE: \"{spec}\"");
        }

        return Enumerable.Range(first, last - first + 1).Select(port => $"{port}/{protocol}");
    }
}
