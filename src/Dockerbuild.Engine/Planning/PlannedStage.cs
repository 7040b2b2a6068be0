using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Engine.Planning;

/// <summary>A stage to build and the stages it needs first.</summary>
/// <param name="BaseName">FROM's base, expanded with the global ARGs.</param>
/// <param name="BaseStage">The earlier stage FROM names, or null for an image or scratch.</param>
/// <param name="DependsOn">Indexes of the stages this one reads (its base, COPY --from, RUN --mount from=).</param>
public sealed record PlannedStage(Stage Stage, string BaseName, Stage? BaseStage, IReadOnlyList<int> DependsOn);
