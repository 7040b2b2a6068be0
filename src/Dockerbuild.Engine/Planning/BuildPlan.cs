using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Planning;

/// <summary>The stages the target needs, dependencies before dependents, and the global ARG scope they start from.</summary>
/// <param name="Stages">Only the needed stages, in dependency order (file order among independent ones).</param>
/// <param name="Target">The stage whose result is the image.</param>
public sealed record BuildPlan(BoundDockerfile Dockerfile, IReadOnlyList<PlannedStage> Stages, PlannedStage Target, BuildArgScope GlobalScope)
{
    public PlannedStage Get(int stageIndex) => Stages.First(s => s.Stage.Index == stageIndex);
}
