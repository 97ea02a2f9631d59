/// Templates that grow a value by concatenation until memory runs out, unless the sandbox
/// bounds every operation that builds a string or list (issue 13, item 9). Each doubles a
/// value 40 times: 2^40 bytes if nothing stops it.
enum HostileTemplates {
    /// `ns.s + ns.s`.
    static let stringDoubling =
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}"
    /// `ns.l + ns.l`.
    static let listDoubling =
        "{% set ns = namespace(l=['x']) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}"
    /// `[ns.s, ns.s]|join('')`.
    static let joinDoubling =
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = [ns.s, ns.s]|join('') %}{% endfor %}{{ ns.s|length }}"
    /// `'%s%s' % (ns.s, ns.s)`.
    static let formatDoubling =
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}{{ ns.s|length }}"

    /// The four templates of the issue, by name.
    static let all: [(name: String, source: String)] = [
        ("string-doubling", stringDoubling), ("list-doubling", listDoubling),
        ("join-doubling", joinDoubling), ("format-doubling", formatDoubling),
    ]
}
