using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The instructions that change only the image config, as BuildKit's dispatch does them: each sets its
/// field and adds an empty-layer history entry whose created_by is BuildKit's.
/// </summary>
internal static class MetadataHandlers
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    public static bool Handles(Instruction instruction) => instruction is EnvInstruction or ArgInstruction or LabelInstruction
        or ExposeInstruction or UserInstruction or VolumeInstruction or CmdInstruction or EntrypointInstruction
        or ShellInstruction or HealthcheckInstruction or StopsignalInstruction or OnbuildInstruction or MaintainerInstruction;

    public static StageState Apply(Instruction instruction, StageState state, ShellLexer lexer, DateTimeOffset created)
    {
        var env = state.Scope.Environment;
        string Word(string word) => SpanExpansion.Expand(instruction.Span, () => lexer.ProcessWord(word, env).Result);
        var config = state.Config.Config;
        StageState Commit(StageState next, string createdBy) => next with
        {
            Config = next.Config.WithEmptyLayerHistory(new History { Created = created, CreatedBy = createdBy, Comment = "buildkit.dockerfile.v0" }),
        };

        switch (instruction)
        {
            case EnvInstruction e:
            {
                var scope = state.Scope;
                var variables = config.Env?.ToList() ?? [];
                var pairs = new List<string>();
                foreach (var kv in e.Variables)
                {
                    var key = SpanExpansion.Expand(e.Span, () => lexer.ProcessWord(kv.Key, scope.Environment).Result);
                    var value = SpanExpansion.Expand(e.Span, () => lexer.ProcessWord(kv.Value, scope.Environment).Result);
                    scope = scope.SetEnv(key, value);
                    SetVariable(variables, key, value);
                    pairs.Add(key + "=" + value);
                }

                return Commit(state with { Scope = scope, Config = state.Config with { Config = config with { Env = variables } } }, "ENV " + string.Join(" ", pairs));
            }

            case ArgInstruction a:
            {
                var scope = state.Scope;
                var commits = new List<string>();
                foreach (var declaration in a.Args)
                {
                    var before = scope;
                    scope = SpanExpansion.Expand(a.Span, () => before.DeclareArg(declaration.Name, declaration.DefaultValue));
                    commits.Add(declaration.DefaultValue is null
                        ? declaration.Name
                        : declaration.Name + "=" + SpanExpansion.Expand(a.Span, () => lexer.ProcessWord(declaration.DefaultValue, before.Environment).Result));
                }

                return Commit(state with { Scope = scope }, "ARG " + string.Join(" ", commits));
            }

            case LabelInstruction l:
            {
                var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in config.Labels ?? new Dictionary<string, string>())
                {
                    labels[k] = v;
                }

                var pairs = new List<string>();
                foreach (var kv in l.Labels)
                {
                    var key = Word(kv.Key);
                    var value = Word(kv.Value);
                    labels[key] = value;
                    pairs.Add($"{key}={value}");
                }

                return Commit(state with { Config = state.Config with { Config = config with { Labels = labels } } }, "LABEL " + string.Join(" ", pairs));
            }

            case ExposeInstruction x:
            {
                var ports = (config.ExposedPorts ?? []).ToList();
                var expanded = x.Ports.SelectMany(p => SpanExpansion.Expand(x.Span, () => lexer.ProcessWords(p, env))).ToList();
                foreach (var port in expanded)
                {
                    var key = PortKey(port);
                    if (!ports.Contains(key))
                    {
                        ports.Add(key);
                    }
                }

                // BuildKit formats the parsed port map with %v: Go prints map keys sorted.
                var specs = expanded.Select(PortKey).Distinct().Order(StringComparer.Ordinal).Select(p => p + ":{}");
                return Commit(state with { Config = state.Config with { Config = config with { ExposedPorts = ports } } }, "EXPOSE map[" + string.Join(" ", specs) + "]");
            }

            case UserInstruction u:
            {
                var user = Word(u.User);
                return Commit(state with { Config = state.Config with { Config = config with { User = user } } }, "USER " + user);
            }

            case VolumeInstruction v:
            {
                var volumes = (config.Volumes ?? []).ToList();
                var added = v.Paths.Select(Word).ToList();
                if (added.Any(p => p.Length == 0))
                {
                    throw new DockerfileException(v.Span, "VOLUME specified can not be an empty string");
                }

                volumes.AddRange(added.Where(p => !volumes.Contains(p)));
                return Commit(state with { Config = state.Config with { Config = config with { Volumes = volumes } } }, "VOLUME " + GoFormat.List(added));
            }

            case CmdInstruction c:
            {
                var args = CommandArgs(c.Command, config);
                return Commit(state with { Config = state.Config with { Config = config with { Cmd = args, ArgsEscaped = true } }, CmdSet = true }, "CMD " + GoFormat.QuoteList(args));
            }

            case EntrypointInstruction ep:
            {
                var args = CommandArgs(ep.Command, config);
                var next = config with { Entrypoint = args, Cmd = state.CmdSet ? config.Cmd : null };
                return Commit(state with { Config = state.Config with { Config = next } }, "ENTRYPOINT " + GoFormat.QuoteList(args));
            }

            case ShellInstruction s:
                return Commit(state with { Config = state.Config with { Config = config with { Shell = s.Shell } } }, "SHELL " + GoFormat.List(s.Shell));

            case HealthcheckInstruction h:
            {
                var check = HealthcheckOf(h);
                var text = $"HEALTHCHECK &{{{GoFormat.QuoteList(check.Test ?? [])} {GoFormat.Quote(GoFormat.Duration(check.Interval))} "
                    + $"{GoFormat.Quote(GoFormat.Duration(check.Timeout))} {GoFormat.Quote(GoFormat.Duration(check.StartPeriod))} "
                    + $"{GoFormat.Quote(GoFormat.Duration(check.StartInterval))} '\\x{check.Retries:x2}'}}";
                return Commit(state with { Config = state.Config with { Config = config with { Healthcheck = check } } }, text);
            }

            case StopsignalInstruction s:
            {
                var signal = Word(s.Signal);
                return Commit(state with { Config = state.Config with { Config = config with { StopSignal = signal } } }, "STOPSIGNAL " + signal);
            }

            case OnbuildInstruction o:
                // BuildKit stores the trigger and writes no history entry for it.
                return state with { Config = state.Config with { Config = config with { OnBuild = [.. config.OnBuild ?? [], o.Expression] } } };

            case MaintainerInstruction m:
                return Commit(state with { Config = state.Config with { Author = m.Maintainer } }, "MAINTAINER " + m.Maintainer);

            default:
                throw new ArgumentException($"{instruction.Name} is not a metadata instruction", nameof(instruction));
        }
    }

    /// <summary>Shell form runs through the stage's SHELL (or /bin/sh -c); exec form as written.</summary>
    public static IReadOnlyList<string> CommandArgs(CommandLine command, ContainerConfig config) =>
        command.IsExecForm ? command.Arguments : [.. config.Shell ?? DefaultShell, command.ShellText ?? ""];

    private static Healthcheck HealthcheckOf(HealthcheckInstruction h)
    {
        if (h.IsNone)
        {
            return new Healthcheck { Test = ["NONE"] };
        }

        var command = h.Command!;
        IReadOnlyList<string> test = command.IsExecForm ? ["CMD", .. command.Arguments] : ["CMD-SHELL", command.ShellText ?? ""];
        return new Healthcheck
        {
            Test = test,
            Interval = h.Interval ?? TimeSpan.Zero,
            Timeout = h.Timeout ?? TimeSpan.Zero,
            StartPeriod = h.StartPeriod ?? TimeSpan.Zero,
            StartInterval = h.StartInterval ?? TimeSpan.Zero,
            Retries = h.Retries ?? 0,
        };
    }

    /// <summary>nat.ParsePortSpecs' key: the protocol defaults to tcp and is lower-cased.</summary>
    private static string PortKey(string port)
    {
        var slash = port.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? port + "/tcp" : port[..slash] + "/" + port[(slash + 1)..].ToLowerInvariant();
    }

    private static void SetVariable(List<string> variables, string key, string value)
    {
        var index = variables.FindIndex(v => v.StartsWith(key + "=", StringComparison.Ordinal) || v == key);
        if (index >= 0)
        {
            variables[index] = key + "=" + value;
        }
        else
        {
            variables.Add(key + "=" + value);
        }
    }
}
