export interface Todo {
  readonly id: string
  readonly title: string
  readonly done: boolean
}

/** The demo API's data: each user's todos, in memory. */
export interface TodoStore {
  list(owner: string): readonly Todo[]
  add(owner: string, title: string, done: boolean): Todo
  clear(): void
}

export function createTodoStore(): TodoStore {
  const byOwner = new Map<string, Todo[]>()
  let lastId = 0
  return {
    list: (owner) => byOwner.get(owner) ?? [],
    add(owner, title, done) {
      const todo: Todo = { id: String(++lastId), title, done }
      const todos = byOwner.get(owner) ?? []
      todos.push(todo)
      byOwner.set(owner, todos)
      return todo
    },
    clear() {
      byOwner.clear()
      lastId = 0
    },
  }
}
