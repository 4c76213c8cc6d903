"""Which context fields a Jinja template uses, followed through loops, checked against a schema."""

from __future__ import annotations

from typing import Any

ANY = object()  # a value whose fields cannot be known (loop helpers, {% set %} results)

# Names Jinja provides inside templates; not context fields.
_BUILTINS = {
    "loop",
    "range",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "namespace",
    "lipsum",
    "dict",
    "cycler",
    "joiner",
}


def _names(target) -> list:
    """The names an assignment or loop target binds (the target itself, or those in a tuple)."""
    from jinja2 import nodes

    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


class _Walker:
    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.used: set[str] = set()
        self.unknown: set[str] = set()

    def resolve(self, node, scope: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
        """The dotted path and schema of an expression, recording what it uses."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name in scope:
                return scope[node.name]
            if node.name in self.schema:
                self.used.add(node.name)
                return node.name, self.schema[node.name]
            if node.name not in _BUILTINS:
                self.unknown.add(node.name)
            return node.name, ANY
        attr = None
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            attr = node.arg.value
        if attr is not None:
            path, shape = self.resolve(node.node, scope)
            where = f"{path}.{attr}"
            if isinstance(shape, dict):
                if attr in shape:
                    self.used.add(where)
                    return where, shape[attr]
                self.unknown.add(where)
            return where, ANY  # a method of text or list, or a field of something unknown
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return "", ANY

    def visit(self, node, scope: dict[str, tuple[str, Any]]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            path, shape = self.resolve(node.iter, scope)
            inner = dict(scope)
            item = shape[0] if isinstance(shape, list) and shape else ANY
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = (f"{path}[]", item)
            else:  # for key, value in ...: unpacked items have no known shape
                inner |= {t.name: (t.name, ANY) for t in _names(node.target)}
            inner["loop"] = ("loop", ANY)
            for child in (*node.body, *node.else_):
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            scope |= {t.name: (t.name, ANY) for t in _names(node.target)}
        if isinstance(node, nodes.Macro):
            inner = dict(scope) | {arg.name: (arg.name, ANY) for arg in node.args}
            for child in node.body:
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Name):
            if node.ctx == "load":
                self.resolve(node, scope)
            return
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def walk_fields(ast, schema: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(fields used, fields unknown to ``schema``) in a parsed Jinja template.

    Fields inside loops are named with ``[]``: ``appendix.groups[].indicators[].ref``.
    """
    walker = _Walker(schema)
    walker.visit(ast, {})
    return walker.used, walker.unknown
