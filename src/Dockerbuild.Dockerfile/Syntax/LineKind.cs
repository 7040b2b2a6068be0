namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>What one physical line of a Dockerfile is, once classified by <see cref="LineGrammar"/>.</summary>
internal enum LineKind
{
    Blank,
    Comment,
    Text,
}
