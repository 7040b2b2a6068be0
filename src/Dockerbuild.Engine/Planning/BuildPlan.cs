using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Planning;

/// <summary>The stages the target needs, dependencies before dependents, and the global ARG scope they start from.</summary>
/// <param name="Stages">Only the needed stages, in dependency order (file order among independent ones).</param>
/// <param name="Target">The stage whose result is the image.</param>
public sealed record BuildPlan(BoundDockerfile Dockerfile, IReadOnlyList<PlannedStage> Stages, PlannedStage Target, BuildArgScope GlobalScope)
{
    /// <summary>What the image is for: <c>--platform</c>, normalized, else the native platform.</summary>
    public Oci.Platform TargetPlatform { get; init; } = BuildPlanner.Native;

    /// <summary>Whether <c>--platform</c> was given; BuildKit then stamps its os/architecture/variant on the image config.</summary>
    public bool ExplicitPlatform { get; init; }

    public PlannedStage Get(int stageIndex) => Stages.First(s => s.Stage.Index == stageIndex);
}
