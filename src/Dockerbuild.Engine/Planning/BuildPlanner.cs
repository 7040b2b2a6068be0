using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Planning;

/// <summary>
/// Turns a Dockerfile and a request into the stages to build, as BuildKit's dockerfile2llb does: the
/// target's stage and, transitively, every stage it reads through FROM, <c>COPY --from</c> and
/// <c>RUN --mount from=</c>. Other stages are not built.
/// </summary>
public static class BuildPlanner
{
    public const string NativePlatform = BuildArgScope.DefaultPlatform;

    public static BuildPlan Plan(BoundDockerfile dockerfile, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(request);
        var targetPlatform = TargetPlatform(request.Platform);

        // BuildKit's platform ARGs carry the normalized target (linux/aarch64 gives TARGETARCH=arm64); BUILDPLATFORM stays native.
        var global = BuildArgScope.Create(request.BuildArgs, new ShellLexer(dockerfile.EscapeToken), NativePlatform, targetPlatform.ToString());
        foreach (var arg in dockerfile.GlobalArgs)
        {
            foreach (var declaration in arg.Args)
            {
                global = SpanExpansion.Expand(arg.Span, () => global.Declare(declaration.Name, declaration.DefaultValue));
            }
        }

        var planned = new Dictionary<int, PlannedStage>();
        foreach (var stage in dockerfile.Stages)
        {
            var baseName = SpanExpansion.Expand(stage.Span, () => global.Lexer.ProcessWord(stage.BaseName, global.Values).Result);
            var baseStage = FindEarlier(dockerfile, stage, baseName);
            var dependsOn = new SortedSet<int>();
            if (baseStage is not null)
            {
                dependsOn.Add(baseStage.Index);
            }

            foreach (var instruction in stage.Instructions)
            {
                foreach (var from in References(instruction))
                {
                    var expanded = SpanExpansion.Expand(instruction.Span, () => global.Lexer.ProcessWord(from, global.Values).Result);
                    if (FindEarlier(dockerfile, stage, expanded) is { } used)
                    {
                        dependsOn.Add(used.Index);
                    }
                    else if (dockerfile.FindStage(expanded) is { } later && later.Index >= stage.Index)
                    {
                        throw new DockerfileException(instruction.Span, $"stage {expanded} is not defined before stage {stage.Name ?? stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                    }
                }
            }

            planned[stage.Index] = new PlannedStage(stage, baseName, baseStage, [.. dependsOn]);
        }

        var target = request.Target is null
            ? dockerfile.Stages[^1]
            : dockerfile.Stages.FirstOrDefault(s => string.Equals(s.Name, request.Target, StringComparison.OrdinalIgnoreCase))
                ?? throw new BuildException($"target stage \"{request.Target}\" could not be found");

        var needed = new SortedSet<int>();
        var pending = new Stack<int>([target.Index]);
        while (pending.TryPop(out var index))
        {
            if (needed.Add(index))
            {
                foreach (var dependency in planned[index].DependsOn)
                {
                    pending.Push(dependency);
                }
            }
        }

        // Dependencies always come earlier in the file, so file order is a dependency order.
        var stages = needed.Select(i => planned[i]).ToList();
        CheckEntitlements(stages, request);
        return new BuildPlan(dockerfile, stages, planned[target.Index], global)
        {
            TargetPlatform = targetPlatform,
            ExplicitPlatform = !string.IsNullOrEmpty(request.Platform),
        };
    }

    /// <summary>The platform a stage builds for: its <c>FROM --platform</c>, expanded with the global ARGs, else the target's.</summary>
    /// <exception cref="DockerfileException">The value does not expand or is not a supported platform.</exception>
    public static Oci.Platform StagePlatform(BuildPlan plan, Stage stage)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.Platform is not { } given)
        {
            return plan.TargetPlatform;
        }

        var expanded = SpanExpansion.Expand(stage.Span, () => plan.GlobalScope.Lexer.ProcessWord(given, plan.GlobalScope.Values).Result);
        try
        {
            return TargetPlatform(expanded);
        }
        catch (BuildException e)
        {
            throw new DockerfileException(stage.Span, e.Message, e);
        }
    }

    /// <summary>
    /// Checks a <c>--platform</c> or <c>FROM --platform</c> value: a Linux platform, any architecture. Whether
    /// a foreign one can run RUN steps is checked when one runs (<see cref="Emulators.EnsureRunnable"/>), so
    /// stages that only copy, or that run on <c>$BUILDPLATFORM</c>, build without emulation, as in BuildKit.
    /// </summary>
    public static void CheckPlatform(string? platform) => TargetPlatforms(platform);

    /// <summary>
    /// The platforms <c>--platform</c> asks for, as buildx reads them: a comma-separated list (the CLI joins
    /// repeated flags with commas), each normalized, <c>local</c> for the native one, duplicates after
    /// normalization dropped (first one kept). Empty when none is given: the native platform, not stamped.
    /// More than one makes a multi-platform build (an image index).
    /// </summary>
    public static IReadOnlyList<Oci.Platform> TargetPlatforms(string? platforms)
    {
        if (string.IsNullOrEmpty(platforms))
        {
            return [];
        }

        var parsed = new List<Oci.Platform>();
        foreach (var one in platforms.Split(','))
        {
            var platform = one.Length == 0
                ? throw new BuildException($"invalid platform list \"{platforms}\": an empty entry")
                : string.Equals(one, "local", StringComparison.OrdinalIgnoreCase) ? Native : TargetPlatform(one);
            if (!parsed.Exists(p => p.ToString() == platform.ToString()))
            {
                parsed.Add(platform);
            }
        }

        return parsed;
    }

    /// <summary>The platform <paramref name="platform"/> names, normalized as containerd does; the native one when empty.</summary>
    public static Oci.Platform TargetPlatform(string? platform)
    {
        if (string.IsNullOrEmpty(platform))
        {
            return Native;
        }

        Oci.Platform parsed;
        try
        {
            parsed = Oci.Platform.Parse(platform);
        }
        catch (FormatException e)
        {
            throw new BuildException($"invalid platform \"{platform}\": {e.Message}", e);
        }

        return parsed.Os == "linux"
            ? parsed
            : throw new BuildException($"platform {platform} is not supported: only linux images are built ({NativePlatform} natively, other architectures through an emulator)");
    }

    /// <summary>The machine's own platform, whose programs run without emulation.</summary>
    public static Oci.Platform Native { get; } = Oci.Platform.Parse(NativePlatform);

    public static bool IsNative(Oci.Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var normalized = platform.Normalize();
        return normalized.Os == Native.Os && normalized.Architecture == Native.Architecture;
    }

    /// <summary>
    /// BuildKit refuses a graph holding an insecure or host-network RUN unless the build was allowed it, before running
    /// anything (its entitlement check on load), whether or not that step would be cached.
    /// </summary>
    private static void CheckEntitlements(IEnumerable<PlannedStage> stages, BuildRequest request)
    {
        var runs = stages.SelectMany(s => s.Stage.Instructions).OfType<RunInstruction>().ToList();
        if (!request.Allow.Contains(SecurityInsecure, StringComparer.Ordinal)
            && runs.FirstOrDefault(r => r.Security == RunSecurity.Insecure) is { } insecure)
        {
            throw new DockerfileException(insecure.Span, $"{SecurityInsecure} is not allowed: pass --allow {SecurityInsecure} to run it privileged");
        }

        // RUN --network=host is protected by the network.host entitlement, granted per build with --allow.
        if (!request.Allow.Contains(NetworkHost, StringComparer.Ordinal)
            && runs.FirstOrDefault(r => r.Network == RunNetwork.Host) is { } host)
        {
            throw new DockerfileException(host.Span, $"{NetworkHost} is not allowed: pass --allow {NetworkHost} to run it in the host's network");
        }
    }

    public const string SecurityInsecure = "security.insecure";

    public const string NetworkHost = "network.host";

    private static IEnumerable<string> References(Instruction instruction) => instruction switch
    {
        CopyInstruction { From: { } from } => [from],
        RunInstruction run => run.Mounts.Where(m => m.From is not null && m.Type is MountType.Bind or MountType.Cache).Select(m => m.From!),
        OnbuildInstruction => [],
        _ => [],
    };

    private static Stage? FindEarlier(BoundDockerfile dockerfile, Stage current, string reference) =>
        dockerfile.FindStage(reference) is { } found && found.Index < current.Index ? found : null;
}
