// The front end of the todo example: lists, adds and ticks todos through /api/v1.
const headers = { "Authorization": "Bearer secret", "Content-Type": "application/json" };

async function refresh() {
  const response = await fetch("/api/v1/todos?limit=100", { headers });
  const todos = await response.json();
  const list = document.getElementById("list");
  list.replaceChildren(...todos.map((todo) => {
    const item = document.createElement("li");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = todo.done;
    box.onchange = async () => {
      await fetch(`/api/v1/todos/${todo.id}`, { method: "PATCH", headers, body: JSON.stringify({ done: box.checked }) });
    };
    item.append(box, " ", todo.title);
    return item;
  }));
}

document.getElementById("new").onsubmit = async (event) => {
  event.preventDefault();
  const title = event.target.title.value;
  await fetch("/api/v1/todos", { method: "POST", headers, body: JSON.stringify({ title }) });
  event.target.reset();
  refresh();
};

refresh();
