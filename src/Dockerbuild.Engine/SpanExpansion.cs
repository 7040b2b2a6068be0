using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Expansion;

namespace Dockerbuild.Engine;

/// <summary>Turns an expansion error into a Dockerfile error at the instruction it came from.</summary>
internal static class SpanExpansion
{
    public static T Expand<T>(SourceSpan span, Func<T> expand)
    {
        try
        {
            return expand();
        }
        catch (ExpansionException e)
        {
            throw new DockerfileException(span, e.Message, e);
        }
    }
}
