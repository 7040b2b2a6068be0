using Dockerbuild.Engine.Context;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The build context with its .dockerignore, loaded once, when a step first reads it; shared by the
/// sessions of a multi-platform build, so the context is walked once, not once per platform.
/// </summary>
internal sealed class ContextLoader(string contextDirectory, string dockerfilePath)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private BuildContext? context;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<BuildContext> GetAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return context ??= await BuildContext.FromDirectoryAsync(contextDirectory, dockerfilePath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
