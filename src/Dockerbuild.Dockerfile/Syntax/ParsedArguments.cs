namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>An instruction's arguments as its line parser split them, and whether they were a JSON array.</summary>
internal readonly record struct ParsedArguments(IReadOnlyList<string> Args, bool IsJsonForm)
{
    public static readonly ParsedArguments None = new([], false);
}
