namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>One element of a JSON array argument: its decoded text when it is a string, else null.</summary>
internal readonly record struct JsonArrayElement(int Offset, string? Text);
