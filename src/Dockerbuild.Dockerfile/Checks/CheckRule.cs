namespace Dockerbuild.Dockerfile.Checks;

/// <summary>One of BuildKit's build-check rules, as its linter/ruleset.go describes it.</summary>
/// <param name="Name">The rule name, e.g. <c>RedundantTargetPlatform</c>.</param>
/// <param name="Description">BuildKit's one-line description of the rule.</param>
/// <param name="Url">The rule's documentation page; null for the one rule BuildKit documents nowhere.</param>
/// <param name="IsExperimental">Off unless <c># check=experimental=...</c> turns it on.</param>
public sealed record CheckRule(string Name, string Description, string? Url, bool IsExperimental);
