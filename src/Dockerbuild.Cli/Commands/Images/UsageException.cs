namespace Dockerbuild.Cli.Commands.Images;

/// <summary>Arguments that parse but do not make sense together (e.g. a tag with <c>--all-tags</c>); one line for the user.</summary>
internal sealed class UsageException(string message) : Exception(message);
