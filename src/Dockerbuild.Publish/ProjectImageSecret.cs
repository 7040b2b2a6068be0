namespace Dockerbuild.Publish;

/// <summary>A <c>--secret</c>: its ID and the environment variable or file that holds it (empty when not given).</summary>
public sealed record ProjectImageSecret(string Id, string EnvironmentVariable, string File);
