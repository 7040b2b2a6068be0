using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The build checks as a build runs them before executing anything, for hosts that check without
/// building (the MSBuild package's <c>dotnet build</c>): the external base images the local store
/// holds lend their env (UndefinedVar), SHELL (JSONArgsRecommended) and platform (InvalidBaseImagePlatform),
/// and the context's .dockerignore CopyIgnoredFile, as BuildKit's lint knows them.
/// </summary>
public static class LocalBuildChecks
{
    public static async Task<IReadOnlyList<CheckFinding>> RunAsync(DockerfileSyntax syntax, BoundDockerfile dockerfile, BuildRequest request, ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = BuildPlanner.Plan(dockerfile, request);
        var bases = await BuildLint.LocalBasesAsync(plan, request, new BaseImageResolver(store, null), Emulators.BinfmtDirectory, cancellationToken).ConfigureAwait(false);
        var ignore = await BuildLint.ContextIgnoreAsync(request, cancellationToken).ConfigureAwait(false);
        return BuildLint.Findings(syntax, dockerfile, request.BuildArgs, bases, ignore);
    }
}
